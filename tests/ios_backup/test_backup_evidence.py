"""The ios-backup kind: detection, plain and encrypted access, wrong passwords, key files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from spyscan.errors import EvidenceError, UsageError
from spyscan.evidence.ios import IOSPath, IOSSource
from spyscan.evidence.ios_backup.fileinfo import decode_file_blob
from spyscan.evidence.ios_backup.keyfile import KEY_FILE_ENV, save_key
from spyscan.evidence.ios_backup.layout import BACKUP_ROOT_DOMAIN
from spyscan.evidence.ios_backup.session import BackupSession
from spyscan.evidence.secrets import Secrets
from spyscan.kinds import detect_kind
from spyscan.kinds.ios_backup import IOSBackupEvidence
from tests.builders.ios_backup import BackupBuilder, file_id, mbfile_blob

PASSWORD = "correct horse 🐎"
TEXT = b"some text content that is not a multiple of sixteen bytes"


def _builder(root: Path) -> BackupBuilder:
    b = BackupBuilder(root)
    b.add_file("HomeDomain", "Library/Notes/a.txt", TEXT, mtime=1_600_000_000)
    b.add_file("HomeDomain", "Library/Notes/empty.txt", b"")
    b.add_file("HomeDomain", "Library/Notes/block.bin", bytes(range(32)))
    b.add_sqlite("HomeDomain", "Library/SMS/sms.db", ["CREATE TABLE t(a)", "INSERT INTO t VALUES (42)"])
    b.add_file("HomeDomain", "Library/SMS/sms.db-wal", b"")  # an empty WAL companion is valid
    b.add_directory("HomeDomain", "Library/Notes")
    return b


def _open(path: Path, tmp_path: Path, secrets: Secrets | None = None) -> IOSBackupEvidence:
    work = tmp_path / f"work{len(list(tmp_path.glob('work*')))}"
    work.mkdir(mode=0o700)
    ev = IOSBackupEvidence(path, work, secrets)
    ev.open()
    return ev


def _check_content(ev: IOSBackupEvidence) -> None:
    assert isinstance(ev, IOSSource)
    found = ev.ios_find(IOSPath(domain="HomeDomain", relative="Library/Notes/*"))
    assert [f.relative for f in found] == ["Library/Notes/a.txt", "Library/Notes/block.bin", "Library/Notes/empty.txt"]
    assert found[0].label == "HomeDomain/Library/Notes/a.txt"
    assert found[0].handle == file_id("HomeDomain", "Library/Notes/a.txt")
    assert found[0].size == len(TEXT)
    assert ev.ios_read(found[0]) == TEXT
    assert ev.ios_read(found[1]) == bytes(range(32))
    assert ev.ios_read(found[2]) == b""
    db = ev.ios_find(IOSPath(domain="Home*", relative="*/sms.db"))
    assert len(db) == 1
    conn = ev.ios_sqlite(db[0])
    assert conn.execute("SELECT a FROM t").fetchall() == [(42,)]
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("INSERT INTO t VALUES (1)")
    assert ev.ios_find(IOSPath(domain="NoSuchDomain", relative="*")) == []
    assert ev.ios_find(IOSPath(fs=("private/var/x",))) == []


def test_plain_backup_round_trip(tmp_path: Path) -> None:
    root = _builder(tmp_path / "backup").build()
    ev = _open(root, tmp_path)
    _check_content(ev)
    info = ev.device_info()
    assert info.platform == "ios" and info.os_version == "17.5.1" and info.encrypted is False
    assert info.details["udid"] and info.details["serial"] == "F2LTESTSERIAL"
    assert info.details["backup_date"].startswith("2024-05-06") and info.acquired == "2024-05-06T07:08:09Z"
    logged = {i.path for i in ev.inputs.items()}
    fid = file_id("HomeDomain", "Library/Notes/a.txt")
    assert f"{fid[:2]}/{fid}" in logged and "Manifest.db" in logged and "Info.plist" in logged


def test_encrypted_backup_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _builder(tmp_path / "backup").build(password=PASSWORD)
    fid = file_id("HomeDomain", "Library/Notes/a.txt")
    assert TEXT not in (root / fid[:2] / fid).read_bytes()
    monkeypatch.setenv("BACKUP_PW", PASSWORD)
    ev = _open(root, tmp_path, Secrets(password_env="BACKUP_PW"))
    _check_content(ev)
    assert ev.device_info().encrypted is True
    # decrypted copies only in the private work folder, never next to the evidence
    assert list(ev.workdir.rglob(fid))
    assert not list(root.rglob("*.tmp"))


def test_wrong_password_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _builder(tmp_path / "backup").build(password=PASSWORD)
    monkeypatch.setenv("BACKUP_PW", "not-the-password")
    with pytest.raises(EvidenceError) as info:
        _open(root, tmp_path, Secrets(password_env="BACKUP_PW"))
    assert "wrong iOS backup password" in str(info.value)
    assert "not-the-password" not in str(info.value)
    assert info.value.exit_code == 1


def test_encrypted_backup_without_password_source(tmp_path: Path) -> None:
    root = _builder(tmp_path / "backup").build(password=PASSWORD)
    with pytest.raises(UsageError, match="password-env"):
        _open(root, tmp_path, Secrets(interactive=False))


def test_key_file_unlocks_without_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _builder(tmp_path / "backup").build(password=PASSWORD)
    work = tmp_path / "w"
    work.mkdir()
    session = BackupSession(root, work)
    key = session.unlock(lambda: PASSWORD)
    assert session.keybag is not None
    key_file = tmp_path / "backup.key"
    save_key(key_file, session.keybag.uuid, key)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert PASSWORD.encode() not in key_file.read_bytes()
    monkeypatch.setenv(KEY_FILE_ENV, str(key_file))
    ev = _open(root, tmp_path, Secrets(interactive=False))  # no password available at all
    _check_content(ev)
    # a key file of another backup is refused clearly
    other = _builder(tmp_path / "other").build(password=PASSWORD)
    with pytest.raises(EvidenceError, match="another backup"):
        _open(other, tmp_path, Secrets(interactive=False))


def test_detects_backup_and_parent_folder(tmp_path: Path) -> None:
    root = _builder(tmp_path / "Backup" / "00008110-000A1B2C3D4E5F60").build()
    assert detect_kind(root) == "ios-backup"
    assert detect_kind(tmp_path / "Backup") == "ios-backup"
    ev = _open(tmp_path / "Backup", tmp_path)
    assert ev.session.root == root
    _check_content(ev)
    assert not IOSBackupEvidence.detect(tmp_path / "Backup" / "00008110-000A1B2C3D4E5F60" / "Manifest.db")
    (tmp_path / "empty").mkdir()
    assert not IOSBackupEvidence.detect(tmp_path / "empty")


def test_parent_folder_with_two_backups_asks_for_one(tmp_path: Path) -> None:
    _builder(tmp_path / "Backup" / "one").build()
    _builder(tmp_path / "Backup" / "two").build()
    with pytest.raises(EvidenceError, match="holds 2 device backups"):
        _open(tmp_path / "Backup", tmp_path)


def test_backup_root_files_through_ios_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _builder(tmp_path / "backup").build(password=PASSWORD)
    monkeypatch.setenv("BACKUP_PW", PASSWORD)
    ev = _open(root, tmp_path, Secrets(password_env="BACKUP_PW"))
    names = [f.relative for f in ev.ios_find(IOSPath(domain=BACKUP_ROOT_DOMAIN, relative="*"))]
    assert names == ["Info.plist", "Manifest.plist", "Status.plist", "Manifest.db"]
    assert ev.ios_find(IOSPath(domain="*", relative="Info.plist")) == []  # never by a glob
    [db] = ev.ios_find(IOSPath(domain=BACKUP_ROOT_DOMAIN, relative="Manifest.db"))
    conn = ev.ios_sqlite(db)  # the decrypted Manifest.db
    assert conn.execute("SELECT count(*) FROM Files").fetchone()[0] == 6


def test_missing_hashed_file_is_skipped(tmp_path: Path) -> None:
    root = _builder(tmp_path / "backup").build()
    fid = file_id("HomeDomain", "Library/Notes/a.txt")
    (root / fid[:2] / fid).unlink()
    ev = _open(root, tmp_path)
    assert [f.relative for f in ev.ios_find(IOSPath(domain="HomeDomain", relative="Library/Notes/*"))] == [
        "Library/Notes/block.bin", "Library/Notes/empty.txt"]


def test_damaged_manifest_db_is_an_evidence_error(tmp_path: Path) -> None:
    root = _builder(tmp_path / "backup").build()
    (root / "Manifest.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(EvidenceError, match=r"Manifest\.db"):
        _open(root, tmp_path)


def test_file_blob_decoding() -> None:
    key = b"\x03\x00\x00\x00" + b"k" * 40
    info = decode_file_blob(mbfile_blob(relative_path="a/b", size=7, mode=0o100600, birth=1, modified=2,
                                        status_changed=3, protection_class=3, inode=9, encryption_key=key))
    assert (info.size, info.mode, info.birth, info.modified, info.status_changed) == (7, 0o100600, 1, 2, 3)
    assert info.protection_class == 3 and info.inode == 9 and info.encryption_key == key
    partial = decode_file_blob(mbfile_blob(relative_path="x", size=1, omit=("Birth", "Mode")))
    assert partial.birth is None and partial.mode is None and partial.size == 1
    assert decode_file_blob(None).size is None
    with pytest.raises(EvidenceError):
        decode_file_blob(b"bplist00garbage")
