"""The terminal's language: ``--lang`` when a command has one, else the locale's (light: no engine import)."""

from __future__ import annotations

from babel.support import Translations
from rich.console import Console
from rich.markup import escape

from spyscan.report.i18n import gettext_for, resolve_lang, translate
from spyscan.texts import tr

_LANG: list[str] = []


def set_lang(lang: str | None) -> None:
    """The language of the terminal: ``--lang`` when a command has one, else the locale's."""
    _LANG[:] = [resolve_lang(lang)]


def terminal() -> Translations:
    return gettext_for(_LANG[0] if _LANG else None)


def words(text: str) -> str:
    """A message (a ``Text`` from ``spyscan.texts.tr``) in the terminal's language."""
    return translate(terminal(), text)


def print_error(message: str) -> None:
    """One line for the analyst: ``message`` (a ``Text``: translated) after "spyscan: error:"."""
    label = words(tr("spyscan: error:"))
    Console(stderr=True, highlight=False).print(f"[bold red]{escape(label)}[/] {escape(words(message))}",
                                                soft_wrap=True)
