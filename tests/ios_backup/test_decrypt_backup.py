"""``spyscan decrypt-backup``: the decrypted copy equals a plain backup of the same content."""

from __future__ import annotations

import plistlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from spyscan.commands.decrypt_backup import decrypt_backup
from spyscan.errors import EvidenceError, UsageError
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.secrets import Secrets
from spyscan.kinds.ios_backup import IOSBackupEvidence
from tests.builders.ios_backup import BackupBuilder

PASSWORD = "s3cret-pw"


def _content(root: Path) -> BackupBuilder:
    b = BackupBuilder(root)
    b.add_file("HomeDomain", "Library/a.txt", b"alpha" * 7)
    b.add_file("MediaDomain", "Media/b.bin", bytes(range(256)) * 3)
    b.add_file("HomeDomain", "Library/empty", b"")
    b.add_sqlite("HomeDomain", "Library/SMS/sms.db", ["CREATE TABLE t(a)", "INSERT INTO t VALUES ('x')"])
    b.add_directory("HomeDomain", "Library")
    return b


def _hashed_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.glob("??/*") if p.is_file()}


def _rows(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT fileID, domain, relativePath, flags FROM Files ORDER BY fileID").fetchall()
    finally:
        conn.close()


def test_decrypted_copy_equals_plain_backup(tmp_path: Path) -> None:
    plain = _content(tmp_path / "plain").build()
    encrypted = _content(tmp_path / "enc").build(password=PASSWORD)
    out = tmp_path / "out"
    result = CliRunner().invoke(decrypt_backup, [str(encrypted), str(out), "--password-env", "PW"],
                                env={"PW": PASSWORD})
    assert result.exit_code == 0, result.output
    assert "Decrypted 4 files" in result.output
    assert PASSWORD not in result.output
    assert _hashed_files(out) == _hashed_files(plain)
    assert _rows(out / "Manifest.db") == _rows(plain / "Manifest.db")
    manifest = plistlib.loads((out / "Manifest.plist").read_bytes())
    assert manifest["IsEncrypted"] is False and "BackupKeyBag" not in manifest
    assert (out / "Info.plist").read_bytes() == (encrypted / "Info.plist").read_bytes()
    # and spyscan reads the copy as a plain backup without any password
    work = tmp_path / "work"
    work.mkdir()
    ev = IOSBackupEvidence(out, work, Secrets(interactive=False))
    ev.open()
    [f] = ev.ios_find(IOSPath(domain="HomeDomain", relative="Library/a.txt"))
    assert ev.ios_read(f) == b"alpha" * 7


def test_save_and_reuse_key_file(tmp_path: Path) -> None:
    encrypted = _content(tmp_path / "enc").build(password=PASSWORD)
    key = tmp_path / "case.key"
    result = CliRunner().invoke(decrypt_backup, [str(encrypted), str(tmp_path / "out1"), "--password-env", "PW",
                                                 "--save-key-file", str(key)], env={"PW": PASSWORD})
    assert result.exit_code == 0, result.output
    assert key.stat().st_mode & 0o777 == 0o600
    result = CliRunner().invoke(decrypt_backup, [str(encrypted), str(tmp_path / "out2"), "--key-file", str(key)],
                                env={"PW": "wrong"})  # the password is not even asked for
    assert result.exit_code == 0, result.output
    assert _hashed_files(tmp_path / "out1") == _hashed_files(tmp_path / "out2")


def test_wrong_password(tmp_path: Path) -> None:
    encrypted = _content(tmp_path / "enc").build(password=PASSWORD)
    result = CliRunner().invoke(decrypt_backup, [str(encrypted), str(tmp_path / "out"), "--password-env", "PW"],
                                env={"PW": "nope"})
    assert isinstance(result.exception, EvidenceError)
    assert result.exception.exit_code == 1
    assert "wrong iOS backup password" in str(result.exception)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("where", ["inside", "nonempty"])
def test_refused_outputs(tmp_path: Path, where: str) -> None:
    encrypted = _content(tmp_path / "enc").build(password=PASSWORD)
    out = encrypted / "copy" if where == "inside" else tmp_path / "busy"
    if where == "nonempty":
        out.mkdir()
        (out / "x").write_text("x")
    result = CliRunner().invoke(decrypt_backup, [str(encrypted), str(out), "--password-env", "PW"],
                                env={"PW": PASSWORD})
    assert isinstance(result.exception, UsageError)
    assert ("inside the backup" if where == "inside" else "not empty") in str(result.exception)
    assert not (encrypted / "copy").exists()


def test_plain_backup_is_refused(tmp_path: Path) -> None:
    plain = _content(tmp_path / "plain").build()
    result = CliRunner().invoke(decrypt_backup, [str(plain), str(tmp_path / "out")])
    assert isinstance(result.exception, UsageError)
    assert "not an encrypted backup" in str(result.exception)
