"""Damaged iOS databases in real acquisitions (a backup and a filesystem dump) are salvaged: the
artifact's status is ``recovered``, the salvaged rows come back as records marked ``recovered`` and
the evidence is unchanged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from spyscan.artifacts.base import ArtifactLog, all_artifacts
from spyscan.kinds.ios_backup import IOSBackupEvidence
from spyscan.kinds.ios_fs import IOSFilesystemEvidence
from tests.builders.ios_backup import BackupBuilder
from tests.builders.ios_fs import FsDumpBuilder

from .acquisitions import Acquisition
from .runs import run_check, tree_snapshot

PAGE = 1024
ROWS = 1500


def _damaged(fill: str) -> bytes:
    """A multi-page database built by ``fill``, then two interior pages overwritten."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"PRAGMA page_size = {PAGE}")
    conn.executescript(fill)
    data = bytearray(conn.serialize())
    conn.close()
    assert len(data) > 60 * PAGE
    for page in (30, 31):
        data[page * PAGE:(page + 1) * PAGE] = b"\xff" * PAGE
    return bytes(data)


def sms_db() -> bytes:
    values = ",".join(f"({i}, 'guid-{i}', 'message {i:05d} {'x' * 40}', {700_000_000 + i}, 0)"
                      for i in range(1, ROWS + 1))
    return _damaged(
        "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, text TEXT, date INTEGER, is_from_me INTEGER);"
        f"INSERT INTO message VALUES {values};")


def history_db() -> bytes:
    items = ",".join(f"({i}, 'https://site{i}.example/{'p' * 40}', 1)" for i in range(1, ROWS + 1))
    visits = ",".join(f"({i}, {i}, {700_000_000 + i}, 'title {i}')" for i in range(1, ROWS + 1))
    return _damaged(
        "CREATE TABLE history_items (id INTEGER PRIMARY KEY, url TEXT, visit_count INTEGER);"
        "CREATE TABLE history_visits (id INTEGER PRIMARY KEY, history_item INTEGER, visit_time REAL, title TEXT);"
        f"INSERT INTO history_items VALUES {items}; INSERT INTO history_visits VALUES {visits};")


def _backup(tmp_path: Path) -> Path:
    builder = BackupBuilder(tmp_path / "evidence" / "backup")
    builder.add_file("HomeDomain", "Library/SMS/sms.db", sms_db())
    return Path(builder.build(password=None))


def _fs_dump(tmp_path: Path) -> Path:
    builder = FsDumpBuilder()
    builder.add_file("private/var/mobile/Library/Safari/History.db", history_db())
    return Path(builder.build_folder(tmp_path / "evidence" / "dump"))


def _records(evidence_cls: type, path: Path, artifact_id: str, tmp_path: Path) -> tuple[list[object], ArtifactLog]:
    work = tmp_path / "work"
    work.mkdir()
    evidence = evidence_cls(path, work)
    evidence.open()
    log = ArtifactLog()
    try:
        records = list(all_artifacts()[artifact_id]().collect(evidence, log))
    finally:
        evidence.close()
    return records, log


@pytest.mark.parametrize(("build", "evidence_cls", "artifact_id"), [
    (_backup, IOSBackupEvidence, "ios.sms"),
    (_fs_dump, IOSFilesystemEvidence, "ios.safari_history"),
], ids=["backup-sms", "fs-history"])
def test_damaged_database_records_are_salvaged_and_marked(build: object, evidence_cls: type, artifact_id: str,
                                                          tmp_path: Path) -> None:
    path = build(tmp_path)  # type: ignore[operator]
    before = tree_snapshot(tmp_path / "evidence")
    records, log = _records(evidence_cls, path, artifact_id, tmp_path)
    assert log.recovered, log.warnings
    assert any("damaged" in w and "salvaged" in w for w in log.warnings)
    assert 100 < len(records) <= ROWS  # most rows back (rows on the damaged pages are lost)
    assert all(getattr(r, "recovered", False) for r in records)
    assert tree_snapshot(tmp_path / "evidence") == before


@pytest.mark.parametrize(("build", "kind", "artifact_id"), [
    (_backup, "ios-backup", "ios.sms"),
    (_fs_dump, "ios-fs", "ios.safari_history"),
], ids=["backup-sms", "fs-history"])
def test_damaged_database_gives_status_recovered_end_to_end(build: object, kind: str, artifact_id: str,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build(tmp_path)  # type: ignore[operator]
    before = tree_snapshot(tmp_path / "evidence")
    acq = Acquisition(kind=kind, path=path, evidence_root=tmp_path / "evidence")
    result = run_check(acq, tmp_path / "out", monkeypatch)
    status = result.run.artifacts[artifact_id]
    assert status.status == "recovered", status
    assert 100 < status.records <= ROWS
    assert tree_snapshot(tmp_path / "evidence") == before
