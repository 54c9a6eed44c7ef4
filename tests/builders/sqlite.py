"""Build real SQLite databases for tests and return their bytes."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

SqliteContent = Sequence[str] | Callable[[sqlite3.Connection], None]


def sqlite_bytes(content: SqliteContent) -> bytes:
    """The bytes of a database made by running ``content`` (SQL statements or a callable)."""
    with tempfile.TemporaryDirectory(prefix="spyscan-test-db-") as tmp:
        path = Path(tmp) / "db.sqlite"
        write_sqlite(path, content)
        return path.read_bytes()


def write_sqlite(path: Path, content: SqliteContent) -> Path:
    """Create the database at ``path`` (rollback journal, so a single file) and fill it."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        if callable(content):
            content(conn)
        else:
            for statement in content:
                conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
    return path
