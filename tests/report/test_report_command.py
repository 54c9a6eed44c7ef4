"""`spyscan report OUT`: regenerate the report from an output folder."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from spyscan.commands.report import report
from spyscan.errors import UsageError
from spyscan.report.redact import Redactor
from tests.report import folders as f


def test_regenerates_the_report_in_the_asked_language(built: f.Built) -> None:
    result = CliRunner().invoke(report, [str(built.out), "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert f"Écrit : {built.out / 'report.html'}" in result.output
    text = (built.out / "report.html").read_text(encoding="utf-8")
    assert "Traces de Pegasus (logiciel espion mercenaire) et TheTruthSpy (stalkerware) trouvées" in text
    assert not (built.out / "report-redacted.html").exists()


def test_redacted_copy_with_a_salt_from_the_environment(built: f.Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASE_SALT", "s3cret-salt")
    result = CliRunner().invoke(report, [str(built.out), "--lang", "en", "--redact", "--salt-env", "CASE_SALT"])
    assert result.exit_code == 0, result.output
    text = (built.out / "report-redacted.html").read_text(encoding="utf-8")
    assert Redactor(b"s3cret-salt").token(f.PHONE, "tel") in text
    assert all(b"s3cret-salt" not in p.read_bytes() for p in built.out.iterdir() if p.is_file())


def test_bad_uses_are_one_line_usage_errors(built: f.Built, tmp_path: object) -> None:
    runner = CliRunner()
    result = runner.invoke(report, [str(built.out), "--salt-env", "CASE_SALT"])
    assert isinstance(result.exception, UsageError) and "--redact" in str(result.exception)
    result = runner.invoke(report, [str(built.out), "--redact", "--salt-env", "NOT_SET_ANYWHERE_42"])
    assert isinstance(result.exception, UsageError) and "NOT_SET_ANYWHERE_42" in str(result.exception)
    result = runner.invoke(report, [str(built.out / "records")])
    assert isinstance(result.exception, UsageError) and "not a spyscan output folder" in str(result.exception)


def test_redact_without_lang_keeps_the_language_of_the_run(built: f.Built, monkeypatch: pytest.MonkeyPatch) -> None:
    """An English locale never rewrites a Spanish check's report in English (run.json keeps ``lang``)."""
    import msgspec

    from spyscan.report.runfile import read_run, write_json

    run = read_run(built.out / "run.json")
    write_json(built.out / "run.json", msgspec.structs.replace(run, lang="es"))
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    result = CliRunner().invoke(report, [str(built.out), "--redact"])
    assert result.exit_code == 0, result.output
    assert "Escrito:" in result.output
    for name in ("report.html", "report-redacted.html"):
        assert '<html lang="es"' in (built.out / name).read_text(encoding="utf-8"), name


def test_every_file_the_report_command_writes_is_owner_only(built: f.Built) -> None:
    """Issue 17: ``--pdf --redact`` under umask 022 wrote report.pdf and the redacted copies readable by all."""
    import os
    import stat

    (built.out / "report.html").write_text("old", encoding="utf-8")
    (built.out / "report.html").chmod(0o644)  # an earlier file with wider permissions is narrowed too
    previous = os.umask(0o022)
    try:
        result = CliRunner().invoke(report, [str(built.out), "--lang", "en", "--pdf", "--redact"])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    names = ("report.html", "report.pdf", "report-redacted.html", "report-redacted.pdf")
    for name in names:
        mode = stat.S_IMODE((built.out / name).stat().st_mode)
        assert mode == 0o600, f"{name}: {oct(mode)}"
