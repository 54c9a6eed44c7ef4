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
