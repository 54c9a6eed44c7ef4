"""Real SQLite files for the robustness tests: healthy, page-damaged, with a pending -wal."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

PAGE = 1024


def multi_page_db(path: Path, rows: int = 2000) -> Path:
    """A database of a few hundred small pages: table ``a`` (rowid alias) and table ``b`` (plain rowid)."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(str(path))
    conn.execute(f"PRAGMA page_size = {PAGE}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    conn.execute("CREATE TABLE b (x, y)")
    conn.executemany("INSERT INTO a (v) VALUES (?)", [(f"row-{i:05d}-" + "x" * 40,) for i in range(rows)])
    conn.executemany("INSERT INTO b VALUES (?, ?)", [(i, "b" * 50) for i in range(rows // 4)])
    conn.commit()
    conn.close()
    return path


def damage_pages(path: Path, pages: tuple[int, ...] = (40, 41)) -> Path:
    """Overwrite whole pages (0-based page index) with 0xFF: 'database disk image is malformed'."""
    data = bytearray(path.read_bytes())
    for page in pages:
        data[page * PAGE:(page + 1) * PAGE] = b"\xff" * PAGE
    path.write_bytes(bytes(data))
    return path


def db_with_pending_wal(folder: Path, name: str = "pending.db") -> Path:
    """``name`` + ``name-wal`` whose last transaction is only in the -wal (not checkpointed)."""
    folder.mkdir(parents=True, exist_ok=True)
    work = folder / ".build"
    work.mkdir(exist_ok=True)
    db = work / name
    conn = sqlite3.connect(str(db))
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.execute("INSERT INTO t VALUES ('checkpointed')")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("INSERT INTO t VALUES ('only-in-wal')")
    conn.commit()
    # copy while the writer is still open: the -wal holds the last transaction
    shutil.copyfile(db, folder / name)
    shutil.copyfile(db.with_name(name + "-wal"), folder / (name + "-wal"))
    conn.close()
    shutil.rmtree(work)
    return folder / name
