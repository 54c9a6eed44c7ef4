"""Through the command line: exit codes and messages for encrypted backups, key-file reuse by check."""

from __future__ import annotations

from pathlib import Path

import pytest

from spyscan.cli import main
from spyscan.evidence.ios_backup.keyfile import KEY_FILE_ENV
from tests.builders.ios_backup import BackupBuilder

PASSWORD = "cli-test-password"


def _exit_code(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _backup(root: Path) -> Path:
    b = BackupBuilder(root, product_version="27.2")
    b.add_file("HomeDomain", "Library/a.txt", b"a")
    b.add_system_databases()
    return b.build(password=PASSWORD)


def test_check_with_wrong_password_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    backup = _backup(tmp_path / "backup")
    monkeypatch.setenv("PW", "guess-123")
    code = _exit_code(["check", str(backup), "-o", str(tmp_path / "out"), "--password-env", "PW",
                       "--no-bundled-iocs", "-q", "-j", "1"])
    captured = capsys.readouterr()
    assert code == 1
    assert "wrong iOS backup password" in captured.err + captured.out
    assert "guess-123" not in captured.err + captured.out


def test_decrypt_backup_then_check_with_saved_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    backup = _backup(tmp_path / "backup")
    monkeypatch.setenv("PW", PASSWORD)
    monkeypatch.setenv(KEY_FILE_ENV, "")  # the CLI sets it from --key-file; restored after the test
    key = tmp_path / "case.key"
    assert _exit_code(["decrypt-backup", str(backup), str(tmp_path / "plain"), "--password-env", "PW",
                       "--save-key-file", str(key)]) == 0
    monkeypatch.delenv("PW")
    code = _exit_code(["check", str(backup), "-o", str(tmp_path / "out"), "--key-file", str(key),
                       "--no-bundled-iocs", "-q", "-j", "1"])
    assert code == 0
    assert (tmp_path / "out" / "run.json").is_file()
    assert PASSWORD not in (tmp_path / "out" / "run.json").read_text()
