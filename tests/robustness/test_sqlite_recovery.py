"""Private SQLite copies: damaged databases are salvaged and flagged, -wal contents are visible,
the evidence never changes."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from spyscan.artifacts.base import ArtifactLog
from spyscan.evidence.custody import InputLog
from spyscan.evidence.sqlite import (
    DamagedDatabase,
    PrivateConnection,
    drain_recovery_notes,
    has_table,
    open_checked,
    open_private_copy,
    report_recovery,
    table_columns,
)

from .dbfiles import damage_pages, db_with_pending_wal, multi_page_db


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_healthy_copy_is_not_recovered_and_refuses_writes(tmp_path: Path) -> None:
    (tmp_path / "ev").mkdir()
    src = multi_page_db(tmp_path / "ev" / "h.db")
    conn = open_private_copy(src, tmp_path / "work", InputLog(), "h.db")
    assert isinstance(conn, PrivateConnection)
    assert conn.recovered is False
    assert conn.execute("SELECT count(*) FROM a").fetchone() == (2000,)
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM a")


def test_damaged_pages_are_salvaged_and_flagged(tmp_path: Path) -> None:
    (tmp_path / "ev").mkdir()
    src = damage_pages(multi_page_db(tmp_path / "ev" / "d.db"))
    with pytest.raises(sqlite3.DatabaseError):  # the premise: reading it plainly fails
        plain = sqlite3.connect(f"file:{src}?mode=ro&immutable=1", uri=True)
        plain.execute("SELECT count(*), max(length(v)) FROM a").fetchall()
    drain_recovery_notes()
    conn = open_private_copy(src, tmp_path / "work", InputLog(), "Library/d.db")
    assert conn.recovered is True
    assert "Library/d.db" in conn.recovery_note and "\n" not in conn.recovery_note
    salvaged = conn.execute("SELECT count(*) FROM a").fetchone()[0]
    assert 1000 < salvaged < 2000  # most rows back, the damaged pages' rows lost
    assert conn.execute("SELECT count(*) FROM b").fetchone() == (500,)
    # the salvaged rows are the evidence's own values, rowids kept
    assert conn.execute("SELECT v FROM a WHERE id = 1").fetchone() == ("row-00000-" + "x" * 40,)
    log = ArtifactLog()
    assert report_recovery(conn, log) is True
    # the translated sentence, then SQLite's own words about the damage (shown verbatim)
    assert log.recovered and log.warnings == [conn.recovery_note, conn.recovery_detail]
    assert conn.recovery_detail.startswith("Library/d.db: SQLite: ")
    assert drain_recovery_notes() == []  # reported by the artifact: not queued twice


def test_unreported_recoveries_are_queued_for_the_engine(tmp_path: Path) -> None:
    drain_recovery_notes()
    src = damage_pages(multi_page_db(tmp_path / "d.db"))
    conn = open_checked(src, "d.db")
    assert drain_recovery_notes() == [conn.recovery_note, conn.recovery_detail]
    assert report_recovery(sqlite3.connect(":memory:"), ArtifactLog()) is False


@pytest.mark.parametrize(("content", "words"), [
    (b"", "empty"),
    (b"\x00\x01garbage" * 500, "not a SQLite database"),
    (b"SQLite format 3\x00" + b"\xff" * 4000, "SQLite"),
])
def test_unreadable_databases_give_one_line_errors_naming_the_file(tmp_path: Path, content: bytes,
                                                                   words: str) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(DamagedDatabase) as info:
        open_checked(path, "Library/bad.db")
    message = str(info.value)
    assert "Library/bad.db" in message and words in message and "\n" not in message


@pytest.mark.parametrize("fraction", [0.6, 0.3])
def test_truncated_database_is_salvaged(tmp_path: Path, fraction: float) -> None:
    src = multi_page_db(tmp_path / "t.db")
    data = src.read_bytes()
    src.write_bytes(data[: int(len(data) * fraction) + 1])  # not even a whole number of pages
    conn = open_checked(src, "t.db")
    assert conn.recovered and "t.db" in conn.recovery_note
    salvaged = conn.execute("SELECT count(*) FROM a").fetchone()[0]
    assert 0 < salvaged < 2000


def test_pending_wal_is_visible_and_evidence_unchanged(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    src = db_with_pending_wal(evidence)
    before = _snapshot(evidence)
    assert set(before) == {"pending.db", "pending.db-wal"}
    inputs = InputLog()
    conn = open_private_copy(src, tmp_path / "work", inputs, "pending.db")
    values = [r[0] for r in conn.execute("SELECT v FROM t ORDER BY rowid")]
    conn.close()
    assert values == ["checkpointed", "only-in-wal"]
    assert _snapshot(evidence) == before  # no -shm, no checkpoint into the evidence
    assert {i.path for i in inputs.items()} == {"pending.db", "pending.db-wal"}


def test_schema_helpers_never_raise_on_damage(tmp_path: Path) -> None:
    src = multi_page_db(tmp_path / "s.db")
    data = bytearray(src.read_bytes())
    data[100:1024] = b"\xff" * 924  # page 1: the schema itself
    src.write_bytes(bytes(data))
    conn = sqlite3.connect(str(src))
    assert has_table(conn, "a") is False
    assert table_columns(conn, "a") == set()
    with pytest.raises(DamagedDatabase) as info:
        open_checked(src, "s.db")
    assert "s.db" in str(info.value)
