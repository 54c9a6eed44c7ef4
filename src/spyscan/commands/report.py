"""``spyscan report OUT``: regenerate the human report from an output folder."""

from __future__ import annotations

import os
from pathlib import Path

import click

from spyscan.commands.language import set_lang, words
from spyscan.commands.spoken_help import SpokenCommand
from spyscan.errors import UsageError
from spyscan.report.i18n import LANGS
from spyscan.texts import N_, tr


@click.command("report", cls=SpokenCommand, help=N_(
    "Regenerate report.html (and PDF, redacted copies) from the results folder OUT.\n\n"
    "Reads run.json, detections.json and timeline.csv; the evidence is not needed."))
@click.argument("out", type=click.Path(path_type=Path, file_okay=False))
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help=N_("Language of the report (default: the language of the check, else from the locale)."))
@click.option("--tz", metavar="ZONE", default=None,
              help=N_("Time zone of the report's times: an IANA name, UTC or an offset such as -06:00 (default: the "
                      "one of the check, else the phone's when the acquisition gives it)."))
@click.option("--pdf", is_flag=True, help=N_("Also render the report to PDF."))
@click.option("--redact", is_flag=True,
              help=N_("Also write report-redacted.html (and PDF) for sharing: personal values become tokens."))
@click.option("--salt-env", metavar="VAR", default=None,
              help=N_("Environment variable holding the salt of the redaction tokens, to get the same tokens "
                      "in several reports (default: a random salt, never stored)."))
def report(out: Path, lang: str | None, tz: str | None, pdf: bool, redact: bool, salt_env: str | None) -> None:
    from spyscan.report.html import write_reports

    salt: bytes | None = None
    if salt_env:
        if not redact:
            raise UsageError(tr('--salt-env is only used with --redact'))
        value = os.environ.get(salt_env, "")
        if not value:
            raise UsageError(tr('the environment variable %(salt_env)s named by --salt-env is not set or empty',
                                salt_env=salt_env))
        salt = value.encode("utf-8")
    set_lang(lang or _run_lang(out))
    written = write_reports(out, lang=lang, pdf=pdf, redact=redact, salt=salt, tz=tz)
    for path in written:
        click.echo(words(tr("Written: %(path)s", path=path)))


def _run_lang(out: Path) -> str | None:
    from spyscan.report.output_folder import load_output

    return load_output(out).run.lang
