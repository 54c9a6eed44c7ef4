"""Fuzz target: SQLite private copies: health check and salvage of damaged databases.

Run: fuzz/run.sh sqlite SECONDS
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.evidence.sqlite import DamagedDatabase, open_checked


def one_input(data: bytes) -> None:
    path = common.scratch_file("input.db", data)
    try:
        conn = open_checked(path, "input.db")
    except DamagedDatabase:
        return
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            quoted = '"' + str(table).replace('"', '""') + '"'
            conn.execute(f"SELECT * FROM {quoted}").fetchmany(100)
    except UnicodeDecodeError:
        pass  # a column *name* that is not UTF-8: Python's sqlite3 cannot describe "SELECT *" (artifacts name columns)
    except sqlite3.DatabaseError as exc:
        # a healthy copy must be readable; a salvaged one may still hold odd virtual tables
        if not getattr(conn, "recovered", False) and "malformed" not in str(exc) and "no such module" not in str(exc):
            raise
    finally:
        conn.close()


if __name__ == "__main__":
    common.main(one_input)
