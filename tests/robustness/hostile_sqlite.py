"""Hostile SQLite databases, generated: one builder per class of attack on the verifier.

Each builder returns the bytes of a real database (``sqlite3``, rollback journal, one file). Names are
the tables an artifact reads (found by ``asked_tables`` in the tests), so every SQLite artifact meets
each class in its own main tables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from tests.builders.sqlite import SqliteContent, sqlite_bytes

# Rows without end: SQLite's sorter spills them to temporary files as fast as the disk takes them.
ENDLESS = ("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
           "SELECT x AS ROWID, x AS Z_PK, x AS id, 'https://evil.example/' || x AS url, "
           "'https://evil.example/' || x AS text, x AS date, x AS guid FROM r ORDER BY x DESC")
HUGE_TEXT = "printf('%.*c', 200000000, 'x')"  # 200 MB for every row read, if ever computed


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def build(statements: SqliteContent) -> bytes:
    """The bytes of a database made by ``statements`` (the builders' ``sqlite_bytes``)."""
    return sqlite_bytes(statements)


def plain(names: Iterable[str]) -> bytes:
    """Every name a one-column table (used to find what an artifact asks next)."""
    return build(["CREATE TABLE unrelated (a)", *[f"CREATE TABLE {quote(n)} (x)" for n in names]])


def recursive_views(names: Iterable[str]) -> bytes:
    """Every name a view over an endless recursive query (the issue's ``sms.db``)."""
    return build(["CREATE TABLE unrelated (a)", *(f"CREATE VIEW {quote(n)} AS {ENDLESS}" for n in names)])


def virtual_tables(names: Iterable[str]) -> bytes:
    """Every name an fts5 virtual table whose content is read from an endless view."""
    return build(["CREATE TABLE unrelated (a)", f"CREATE VIEW endless AS {ENDLESS}",
                  *(f"CREATE VIRTUAL TABLE {quote(n)} USING fts5(url, text, content='endless', content_rowid='ROWID')"
                    for n in names)])


def triggers(names: Iterable[str]) -> bytes:
    """Every name only a trigger (on another table): where a table is expected there is code."""
    return build(["CREATE TABLE unrelated (a)",
                  *(f"CREATE TRIGGER {quote(n)} AFTER INSERT ON unrelated BEGIN DELETE FROM unrelated; END"
                    for n in names)])


def generated_sms(rows: int = 200) -> bytes:
    """``sms.db`` whose ``message.text`` is a virtual generated column of 200 MB per row."""
    def fill(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT)")
        conn.execute("CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, service TEXT, date INTEGER, "
                     "handle_id INTEGER)")
        conn.executemany("INSERT INTO message (guid, service, date, handle_id) VALUES (?, 'SMS', ?, 1)",
                         [(f"g{i}", 700_000_000 + i) for i in range(rows)])
        conn.commit()
        # declared afterwards (SQLite would compute it on every insert): a virtual column is not stored
        conn.execute("PRAGMA writable_schema = ON")
        column = f", text TEXT GENERATED ALWAYS AS ({HUGE_TEXT}) VIRTUAL)"
        conn.execute("UPDATE sqlite_master SET sql = substr(sql, 1, length(sql) - 1) || ? WHERE name = 'message'",
                     (column,))
    return build(fill)


def sms_rows(rows: int) -> bytes:
    """A real ``sms.db`` with ``rows`` messages (a table of absurd size for budget tests)."""
    def fill(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT)")
        conn.execute("CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, text TEXT, service TEXT, "
                     "date INTEGER, handle_id INTEGER)")
        conn.execute("INSERT INTO handle (id) VALUES ('+15550100')")
        conn.execute("INSERT INTO message (guid, text, service, date, handle_id) "
                     "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r LIMIT ?) "
                     "SELECT 'g' || x, 'hello ' || x, 'SMS', 700000000 + x, 1 FROM r", (rows,))
    return build(fill)


def huge_schema(entries: int) -> bytes:
    """``entries`` views written straight into ``sqlite_master`` (a schema SQLite must parse to open it)."""
    def fill(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE message (ROWID INTEGER PRIMARY KEY, text TEXT)")
        conn.commit()
        conn.execute("PRAGMA writable_schema = ON")
        conn.executemany("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('view', ?, ?, 0, ?)",
                         ((f"v{i}", f"v{i}", f"CREATE VIEW v{i} (a, b, c, d) AS SELECT 1, 2, 3, 4")
                          for i in range(entries)))
    return build(fill)


def duplicate_case() -> bytes:
    """Two tables ``message`` and ``MESSAGE`` (the second planted in ``sqlite_master``)."""
    def fill(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE message (ROWID INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("CREATE TABLE planted (ROWID INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO message (text) VALUES ('real')")
        conn.execute("INSERT INTO planted (text) VALUES ('planted')")
        conn.commit()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET name = 'MESSAGE', tbl_name = 'MESSAGE', "
                     "sql = replace(sql, 'planted', 'MESSAGE') WHERE name = 'planted'")
    return build(fill)


def page_size_trick(data: bytes) -> bytes:
    """``data`` (a database) whose header announces a page size that is not a power of two."""
    raw = bytearray(data)
    raw[16:18] = (3000).to_bytes(2, "big")
    return bytes(raw)


def reserved_bytes_trick(data: bytes) -> bytes:
    """``data`` whose header reserves so many bytes per page that too little is left for content."""
    raw = bytearray(data)
    raw[20] = 255
    return bytes(raw)
