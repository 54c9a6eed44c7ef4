"""``--help`` in the terminal's language: click commands whose help texts go through the catalogs when shown.

The help texts are English message ids marked with ``N_`` (a command's ``help=`` and ``epilog=``, each option's
``help=``; ``help.po`` translates them). They are translated when a help page is shown, in the terminal's
language: ``--lang`` when the command line has it (also before ``--help``), else the locale's
(``commands.language``). Command names, option names, metavars and defaults are shown as they are; click's own
words ("Usage:", "[default: ...]") come from ``cli.py``'s ``_speak_in_the_locale``.
"""

from __future__ import annotations

import copy

import click
from babel.support import Translations

from spyscan.commands.language import set_lang, terminal
from spyscan.report.i18n import normalize_lang

KEEP_LAYOUT = "\b\n"  # click's mark: the paragraph after it is printed as written, not re-wrapped


def said(t: Translations, text: str | None) -> str | None:
    """A help text in the language of ``t`` (click's keep-layout mark stays outside the message)."""
    if not text:
        return text
    kept = KEEP_LAYOUT if text.startswith(KEEP_LAYOUT) else ""
    return kept + t.gettext(text[len(kept):])


def _param(param: click.Parameter, t: Translations) -> click.Parameter:
    if not isinstance(param, click.Option | click.Argument) or not param.help:
        return param
    shown = copy.copy(param)
    shown.help = said(t, param.help)
    return shown


def _listed(command: click.Command, t: Translations) -> click.Command:
    """A sub-command as its group lists it: its short help in the language of ``t``."""
    shown = copy.copy(command)
    shown.help = said(t, command.help)
    shown.short_help = said(t, command.short_help)
    return shown


def spoken(command: click.Command, ctx: click.Context, t: Translations) -> click.Command:
    """A copy of ``command`` to format its help page with: every help text in the language of ``t``."""
    shown = copy.copy(command)
    shown.help = said(t, command.help)
    shown.short_help = said(t, command.short_help)
    shown.epilog = said(t, command.epilog)
    shown.params = [_param(p, t) for p in command.params]
    help_option = command.get_help_option(ctx)
    shown._help_option = _param(help_option, t) if help_option is not None else None  # type: ignore[assignment]
    if isinstance(command, click.Group) and isinstance(shown, click.Group):
        shown.commands = {name: _listed(sub, t) for name, sub in command.commands.items()}
    return shown


def lang_in(args: list[str]) -> str | None:
    """The language a ``--lang`` on the command line asks for (``--lang es`` or ``--lang=es``), if any."""
    for number, arg in enumerate(args):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            args[number + 1] if arg == "--lang" and number + 1 < len(args) else None)
        if value is not None and normalize_lang(value) is not None:
            return value
    return None


def speak_as_asked(args: list[str]) -> None:
    """``--lang`` given on the command line is the terminal's language from the start, so that the help page and
    an error in the command line itself (a mistyped option...) are said in it; the command sets it again once
    parsed. Without ``--lang`` the language stays the one set before (the locale's, by default)."""
    lang = lang_in(args)
    if lang is not None:
        set_lang(lang)


class SpokenCommand(click.Command):
    """A command whose ``--help`` is in the terminal's language."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        speak_as_asked(args)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        click.Command.format_help(spoken(self, ctx, terminal()), ctx, formatter)


class SpokenGroup(click.Group):
    """A group whose ``--help`` is in the terminal's language, as are its sub-commands' and sub-groups'."""

    command_class = SpokenCommand
    group_class = type  # sub-groups are spoken groups too

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        speak_as_asked(args)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        click.Command.format_help(spoken(self, ctx, terminal()), ctx, formatter)


def every_command(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """``command`` and every sub-command under it, each with its path of names (for tests and docs)."""
    found: list[tuple[tuple[str, ...], click.Command]] = [(path, command)]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            found += every_command(command.commands[name], (*path, name))
    return found
