"""The command line: a thin layer over the engine, the indicator commands and the report."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from spyscan import __version__
from spyscan.commands.spoken_help import SpokenGroup
from spyscan.engine.options import DEFAULT_MAX_RECORDS
from spyscan.errors import EXIT_FAILED, Interrupted, SpyscanError
from spyscan.texts import N_, tr
from spyscan.texts import message_of_error as message_of

EXIT_HELP = "\b\n" + N_(
    "Exit status:\n"
    "  0  finished: no known traces, or only findings to review (see the verdict)\n"
    "  3  traces found: at least one high or critical detection\n"
    "  4  finished but incomplete: a part that could hold traces could not be checked\n"
    "     (it failed, ran past its time budget, was cut short, or the check was interrupted)\n"
    "  1  could not run (unreadable input, wrong password, ...)\n"
    "  2  usage error (unknown kind, input of another kind, output folder not acceptable...)"
)


SECRET_FLAGS = ("--password", "--passphrase")


def redacted_argv(argv: list[str]) -> list[str]:
    """The command line for run.json. Secrets never come on the command line, but be safe anyway."""
    out: list[str] = []
    hide_next = False
    for arg in argv:
        if hide_next:
            out.append("[redacted]")
            hide_next = False
            continue
        if arg in SECRET_FLAGS:
            hide_next = True
        elif any(arg.startswith(f + "=") for f in SECRET_FLAGS):
            arg = arg.split("=", 1)[0] + "=[redacted]"
        out.append(arg)
    return out


def _iocs_options(func: Any) -> Any:
    func = click.option("--no-bundled-iocs", is_flag=True,
                        help=N_("Use only the indicator files given with --iocs / SPYSCAN_IOCS / the updated "
                                "set."))(func)
    func = click.option("--iocs", "iocs", multiple=True, type=click.Path(path_type=Path),
                        help=N_("STIX2 indicator file or folder (repeatable). Added to the bundled set."))(func)
    return func


def _run_options(func: Any) -> Any:
    func = click.option("--tz", metavar="ZONE", default=None,
                        help=N_("Time zone of the report's times: an IANA name (America/Mexico_City), UTC or an "
                                "offset (-06:00); default: the phone's, when the acquisition gives it."))(func)
    func = click.option("--redact", is_flag=True, help=N_("Also write report-redacted.html for sharing."))(func)
    func = click.option("--pdf", is_flag=True, help=N_("Also render the report to PDF."))(func)
    func = click.option("--lang", type=click.Choice(["en", "es", "fr", "pt"]), default=None,
                        help=N_("Language of the report and summary (default: from the locale)."))(func)
    func = click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
                        help=N_("Parallel worker processes (0: one per CPU core)."))(func)
    func = click.option("--quiet", "-q", is_flag=True, help=N_("No progress or summary; errors only."))(func)
    return func


@click.group(cls=SpokenGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_HELP, help=N_(
    "spyscan: check a phone acquisition for traces of mercenary spyware and stalkerware.\n\n"
    "Use only with the informed consent of the device's owner. spyscan works offline: no command touches the "
    "network except `spyscan iocs update` (and the same update in `spyscan serve`, when asked)."))
@click.version_option(__version__, prog_name="spyscan")
def cli() -> None:
    pass  # the help texts are in the decorators: marked for the catalogs, shown in the terminal's language


def _options(output: Path, iocs: tuple[Path, ...], no_bundled_iocs: bool, jobs: int, quiet: bool,
             lang: str | None, pdf: bool, redact: bool, password_env: str | None = None,
             identity: Path | None = None, tz: str | None = None) -> Any:
    from spyscan.commands.language import set_lang, words
    from spyscan.console import RichProgress, console
    from spyscan.engine import IndicatorOptions, RunOptions
    from spyscan.evidence.secrets import Secrets
    from spyscan.report.times import check_tz

    set_lang(lang)

    return RunOptions(
        output=output,
        indicators=IndicatorOptions(paths=list(iocs), bundled=not no_bundled_iocs),
        jobs=jobs,
        command=redacted_argv(["spyscan", *sys.argv[1:]]),
        secrets=Secrets(password_env=password_env, identity=identity, say=words),
        progress=None if quiet else RichProgress(console(), lang),
        lang=lang, pdf=pdf, redact=redact, tz=check_tz(tz),
    )


def _finish(result: Any, quiet: bool, lang: str | None) -> None:
    from spyscan.console import console, summary

    if not quiet:
        summary(console(), result, lang)
    sys.exit(result.exit_code)


def _budget_options(func: Any) -> Any:
    func = click.option("--max-records", type=click.IntRange(min=0), default=DEFAULT_MAX_RECORDS, show_default=True,
                        help=N_("Records read per artifact at most (0: no ceiling); past it the artifact stops "
                                "and the check is incomplete."))(func)
    func = click.option("--artifact-timeout", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
                        help=N_("Time budget per artifact (default: 30 minutes plus 10 minutes per GiB of input; "
                                "0: no limit). An artifact past it stops, keeps what it read, and the check is "
                                "incomplete."))(func)
    return func


@cli.command(epilog=EXIT_HELP, help=N_(
    "Check the acquisition at PATH and write the results to a new folder.\n\n"
    "PATH is detected as one of the kinds listed by `spyscan kinds` (or give --kind). Secrets of encrypted inputs "
    "come from --password-env VAR or an interactive prompt, never from the command line."))
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path),
              help=N_("New folder for the results (created owner-only; never inside the evidence)."))
@click.option("--kind", type=str, default=None, help=N_("Input kind; detected when absent (see `spyscan kinds`)."))
@click.option("--password-env", metavar="VAR", default=None,
              help=N_("Environment variable holding the password/passphrase of an encrypted input."))
@click.option("--identity", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help=N_("age identity file for .zip.age acquisitions."))
@click.option("--key-file", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help=N_("Key file saved by `spyscan decrypt-backup --save-key-file` (skips the slow key derivation)."))
@_iocs_options
@_run_options
@_budget_options
def check(path: Path, output: Path, kind: str | None, password_env: str | None, identity: Path | None,
          key_file: Path | None, iocs: tuple[Path, ...], no_bundled_iocs: bool, jobs: int, quiet: bool,
          lang: str | None, pdf: bool, redact: bool, tz: str | None, artifact_timeout: float | None,
          max_records: int) -> None:
    from spyscan.engine import check as run_check

    if key_file is not None:
        os.environ["SPYSCAN_IOS_KEY_FILE"] = str(key_file)

    options = _options(output, iocs, no_bundled_iocs, jobs, quiet, lang, pdf, redact, password_env, identity, tz)
    options.artifact_timeout = artifact_timeout
    options.max_records = max_records
    _finish(run_check(path, kind, options), quiet, lang)


@cli.command(epilog=EXIT_HELP, help=N_(
    "Re-run detection over the records of an earlier output folder with the current indicators.\n\n"
    "The original evidence is not needed."))
@click.argument("results", type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), help=N_("New folder for the results."))
@_iocs_options
@_run_options
def recheck(results: Path, output: Path, iocs: tuple[Path, ...], no_bundled_iocs: bool, jobs: int, quiet: bool,
            lang: str | None, pdf: bool, redact: bool, tz: str | None) -> None:
    from spyscan.engine import recheck as run_recheck

    options = _options(output, iocs, no_bundled_iocs, jobs, quiet, lang, pdf, redact, tz=tz)
    _finish(run_recheck(results, options), quiet, lang)


@cli.command(epilog=EXIT_HELP, help=N_(
    "Generate a small SYNTHETIC acquisition with one planted public indicator and check it."))
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help=N_("Folder for the synthetic sample and the results (default: a new temporary folder)."))
@_run_options
def demo(output: Path | None, jobs: int, quiet: bool, lang: str | None, pdf: bool, redact: bool,
         tz: str | None) -> None:
    from spyscan.console import console
    from spyscan.demo import run_demo

    options = _options(Path("."), (), False, jobs, quiet, lang, pdf, redact, tz=tz)
    result = run_demo(output, options, console(quiet))
    _finish(result, quiet, lang)


@cli.command(help=N_("List the input kinds spyscan recognises and their artifacts."))
def kinds() -> None:
    from spyscan.artifacts.base import artifacts_for
    from spyscan.commands.language import terminal, words
    from spyscan.kinds import RESULTS_KIND, all_kinds

    t = terminal()
    for name, cls in sorted(all_kinds().items()):
        click.echo(f"{name}: {t.gettext(cls.label)}")
        for artifact in artifacts_for(name):
            click.echo(f"    {artifact.id}  {t.gettext(artifact.title)}")
    click.echo(f"{RESULTS_KIND}: " + words(tr("an earlier spyscan output folder (re-checked with the current "
                                               "indicators)")))


COMMAND_MODULES = (
    ("spyscan.commands.iocs", "iocs"),
    ("spyscan.commands.report", "report"),
    ("spyscan.commands.decrypt_backup", "decrypt_backup"),
    ("spyscan.commands.case", "case"),
    ("spyscan.commands.hunt", "hunt"),
    ("spyscan.commands.collect", "collect"),
    ("spyscan.commands.serve", "serve"),
)


def _attach_optional_commands() -> None:
    import importlib

    for module_name, attribute in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # not written yet; anything else missing is a real error
                continue
            raise
        cli.add_command(getattr(module, attribute))


_attach_optional_commands()


CLICK_MODULES = ("core", "exceptions", "types", "parser", "decorators", "formatting", "termui", "utils")


def _speak_in_the_locale() -> None:
    """click's own messages (missing option, no such command, usage...) in the terminal's language: click calls
    ``gettext`` through the ``_``/``ngettext`` names of its modules; the catalogs (``cli.po``) translate them."""
    import importlib

    from spyscan.commands.language import terminal

    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = lambda message: terminal().gettext(message)  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = lambda one, many, n: terminal().ngettext(one, many, n)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> None:
    """Entry point: no tracebacks for the people using it; exit codes as documented."""
    logging.getLogger("spyscan").propagate = False
    # every file and folder any command writes (results, reports, exports, stores, decrypted copies,
    # acquisitions, the web app's files) is readable by the user only, whatever the shell's umask
    os.umask(0o077)
    _speak_in_the_locale()  # --lang on the command line is read by the commands' parse_args (spoken_help)
    try:
        cli.main(args=argv, prog_name="spyscan", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        from spyscan.commands.language import print_error

        print_error(tr('interrupted'))
        sys.exit(130)
    except SpyscanError as exc:
        from spyscan.commands.language import print_error

        print_error(message_of(exc))
        sys.exit(exc.exit_code)
    except Interrupted as exc:
        from spyscan.commands.language import print_error

        print_error(message_of(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        from spyscan.commands.language import print_error

        print_error(tr('interrupted; results written so far are kept'))
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:
        from spyscan.commands.language import print_error

        if os.environ.get("SPYSCAN_DEBUG"):
            raise
        print_error(tr('internal error (%(name)s: %(error)s); set SPYSCAN_DEBUG=1 for details',
                       name=type(exc).__name__, error=exc))
        sys.exit(EXIT_FAILED)
