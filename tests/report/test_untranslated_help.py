"""Every ``--help`` page (the top command, each group, each sub-command) in Spanish, French and Portuguese: no help
text is left in English.

The commands are found when the test runs (``spoken_help.every_command``), so a command added later is covered
too. A page is rendered through the command line as an analyst gets it (``spyscan.cli.main``), its language chosen
by ``--lang`` where the command has it and by the locale everywhere; what may stay as it is (command and option
names, metavars and choices, examples in backquotes, addresses) is taken out, and the rest goes through the
English detector of the other untranslated tests (``tests/report/english.py``), plus two exact checks: the start
of every help text of the page, and click's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest

from spyscan.cli import cli, main
from spyscan.commands import language
from spyscan.commands.spoken_help import KEEP_LAYOUT, every_command
from spyscan.report import i18n
from tests.report.english import english_in, source_messages

LANGS = ("es", "fr", "pt")
LOCALES = {"es": "es_MX.UTF-8", "fr": "fr_FR.UTF-8", "pt": "pt_BR.UTF-8"}
COMMANDS = [path for path, _command in every_command(cli)]

# what a help page shows as it is in every language
_AS_IT_IS = re.compile(
    r"`[^`]*`"  # an example: `spyscan iocs update`
    r"|https?://\S+"  # an address
    r"|\[[^\]\s]*\|[^\]\s]*\]"  # a choice metavar: [non-system|all|none]
    r"|(?<![\w-])--?[A-Za-z][\w-]*"  # an option name: --no-bundled-iocs, -o
    r"|\bspyscan(?: [a-z][a-z-]*)*"  # a command path: spyscan case add
)
# click's own words on a help page (cli.po translates them; French "Options" is the same word)
CLICK_HELP = ("Show this message and exit.", "Show the version and exit.")  # the help of --help and --version
CLICK_WORDS = ("Usage:", "Commands:", *CLICK_HELP, "[default:", "[required]")


@pytest.fixture(autouse=True)
def _terminal_language_reset() -> Iterator[None]:
    saved = list(language._LANG)
    yield
    language._LANG[:] = saved


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def _has_lang(command: click.Command) -> bool:
    return any(isinstance(p, click.Option) and "--lang" in p.opts for p in command.params)


def help_page(path: tuple[str, ...], argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    language._LANG.clear()  # from the locale unless the command line says otherwise
    code: object = 0
    try:
        main([*path, *argv])
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    assert code in (0, None), captured.err
    return captured.out


def help_texts(command: click.Command) -> list[str]:
    """The English help texts a page shows: the command's, its options', its sub-commands' (listed)."""
    texts = [command.help, command.epilog, *[getattr(p, "help", None) for p in command.params]]
    if isinstance(command, click.Group):
        texts += [sub.help for sub in command.commands.values() if not sub.hidden]
    return [text.removeprefix(KEEP_LAYOUT) for text in texts if text]


def english_left(page: str, command: click.Command) -> list[str]:
    """English on a help page said to be in another language: the detector's findings, any help text whose first
    words are shown as in English, click's own words."""
    words = re.findall(r"[^\W\d_]+", page)
    joined = " " + " ".join(words) + " "
    left = english_in(_AS_IT_IS.sub(" ", page))
    for text in help_texts(command):
        start = re.findall(r"[^\W\d_]+", text)[:4]
        if " " + " ".join(start) + " " in joined:
            left.append(text[:60])
    left += [word for word in CLICK_WORDS if word in page]
    return left


def test_every_help_text_is_declared_for_the_catalogs() -> None:
    """Help texts are ``N_`` messages (extracted, so translated by ``help.po``), never a docstring or f-string."""
    declared = set(source_messages())
    missing = [(" ".join(path), text[:60]) for path in COMMANDS for text in help_texts(_command(path))
               if text not in declared and text not in CLICK_HELP]
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "spyscan")
def test_every_help_page_is_in_the_language_of_the_locale(path: tuple[str, ...], lang: str,
                                                         capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.setenv("LC_ALL", LOCALES[lang])
    page = help_page(path, ["--help"], capsys)
    assert english_left(page, _command(path)) == [], page


@pytest.mark.parametrize("lang", LANGS)
def test_lang_on_the_command_line_chooses_the_help_s_language(lang: str, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Under an English locale, ``--lang`` before or after ``--help`` (or as ``--lang=xx``) gives the page in that
    language, for every command that has ``--lang``."""
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    with_lang = [path for path in COMMANDS if _has_lang(_command(path))]
    assert {("check",), ("report",), ("collect", "ios")} <= set(with_lang)
    for path in with_lang:
        for argv in (["--lang", lang, "--help"], ["--help", "--lang", lang], [f"--lang={lang}", "--help"]):
            page = help_page(path, argv, capsys)
            assert english_left(page, _command(path)) == [], (path, argv, page)
    english = help_page(("check",), ["--help"], capsys)
    assert english.startswith("Usage: spyscan check [OPTIONS] PATH") and "Exit status:" in english


def test_the_help_check_fails_on_a_language_without_its_catalog(tmp_path: object, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With no catalog for the language, every page is caught as English."""
    caught = []
    try:
        with monkeypatch.context() as patch:
            patch.setattr(i18n, "LOCALE_DIR", i18n.LOCALE_DIR / "nowhere")
            i18n._translations.cache_clear()
            patch.delenv("LANGUAGE", raising=False)
            patch.setenv("LC_ALL", "es_MX.UTF-8")
            for path in COMMANDS:
                caught.append(bool(english_left(help_page(path, ["--help"], capsys), _command(path))))
    finally:
        i18n._translations.cache_clear()
    assert caught and all(caught)
