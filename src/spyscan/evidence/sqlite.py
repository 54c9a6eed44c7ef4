"""Evidence SQLite databases are never opened in place.

A plain ``sqlite3.connect`` on an evidence file can merge its ``-wal`` into it or create ``-shm``
files. Instead the database and its ``-wal``/``-journal`` companions are copied (and hashed while
copied) into the run's private work folder and the copy is opened with writes refused.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from spyscan.evidence.custody import InputFile, InputLog, sha256_stream

COMPANIONS = ("-wal", "-journal")


def copy_with_hash(src: Path, dst: Path, log: InputLog, label: str) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with src.open("rb") as fin, dst.open("wb") as fout:
        size, digest = sha256_stream(fin, fout)
    log.add(InputFile(path=label, size=size, sha256=digest))


def open_private_copy(src: Path, workdir: Path, log: InputLog, label: str) -> sqlite3.Connection:
    """Copy ``src`` (+ companions) into ``workdir`` and open the copy; writes are refused."""
    target_dir = workdir / "sqlite" / str(abs(hash((str(src), label))))
    target = target_dir / src.name
    copy_with_hash(src, target, log, label)
    for suffix in COMPANIONS:
        companion = src.with_name(src.name + suffix)
        if companion.is_file():
            copy_with_hash(companion, target.with_name(target.name + suffix), log, label + suffix)
    conn = sqlite3.connect(str(target))
    conn.execute("PRAGMA query_only = ON")
    return conn


def table_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    rows = conn.execute("SELECT name FROM pragma_table_info(?)", (table,)).fetchall()
    return {str(r[0]) for r in rows}


def has_table(conn: sqlite3.Connection, table: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?", (table,)
    ).fetchone()
    return row is not None
