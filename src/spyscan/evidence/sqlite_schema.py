"""What a database from the evidence really holds, and the rule that only real tables are read.

SQLite runs the code a schema carries: a view is a query (``WITH RECURSIVE`` makes it endless), a
virtual table runs a module (``fts5`` with ``content=`` a view reads that view), a virtual generated
column computes an expression on every read (``zeroblob(1e9)``, ``printf('%.*c', ...)``). iOS and
Android keep plain tables where artifacts read, so anything else there is refused:

* ``SchemaCensus.read(conn)`` lists the main schema once, after the schema loaded under its budget
  (``sqlite_guard``): the kind of each name as SQLite itself parsed it (``PRAGMA table_list``: table,
  view, virtual, shadow; ``sqlite_master`` for triggers and indexes) and the virtual generated
  columns of each table. SQLite itself refuses a schema where two objects share a name in different
  case ("malformed database schema"), which ends as a ``DamagedDatabase``.
* ``has_table``/``require_table`` (in ``evidence.sqlite``) answer True only for real tables; a name
  that is a view, virtual table, trigger or index there is remembered as a note and answered False,
  or refused with ``SchemaRefused`` (an ``ArtifactNotFound`` whose one-line message says what the name
  is). ``artifacts/ios/_common.open_db`` turns refusals and notes into the artifact's warnings.
* ``Authorizer`` is the connection's SQLite authorizer, the last line for SQL that never asked: it
  denies reading a view or virtual table, anything done on a view's or trigger's behalf, and recursive
  queries; it turns reading a virtual generated column into NULL (``SQLITE_IGNORE``) with a note.
  Triggers never fire: the connections are read-only (``query_only``).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from spyscan.errors import ArtifactNotFound
from spyscan.texts import N_, tr

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_MAYBE_GENERATED = re.compile(r"\bAS\s*\(|\bGENERATED\b", re.IGNORECASE)
REAL = ("table", "shadow")  # shadow tables (of fts, rtree) are plain b-tree tables
_ODD = {
    "view": N_("%(label)s: %(name)s is a view, not a table as the artifact expects; not read (possibly a crafted "
               "database)"),
    "virtual": N_("%(label)s: %(name)s is a virtual table, not a table as the artifact expects; not read (possibly "
                  "a crafted database)"),
    "trigger": N_("%(label)s: %(name)s is a trigger, not a table as the artifact expects; not read (possibly a "
                  "crafted database)"),
    "index": N_("%(label)s: %(name)s is an index, not a table as the artifact expects; not read (possibly a crafted "
                "database)"),
}
_ODD_OTHER = N_("%(label)s: %(name)s is of SQLite type %(kind)s, not a table as the artifact expects; not read "
                "(possibly a crafted database)")


class SchemaRefused(ArtifactNotFound):
    """A name the artifact reads as a table is something else in this database (not read)."""


def fold(name: str) -> str:
    """SQLite's case folding of identifiers (ASCII letters only)."""
    return name.translate(_ASCII_LOWER)


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    return "" if value is None else str(value)


@dataclass
class SchemaCensus:
    kinds: dict[str, str] = field(default_factory=dict)  # folded name -> table/view/virtual/shadow/trigger/index
    generated: dict[str, set[str]] = field(default_factory=dict)  # folded table -> folded virtual generated columns
    entries: int = 0

    @classmethod
    def read(cls, conn: sqlite3.Connection) -> SchemaCensus:
        census = cls()
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
        census.entries = len(rows)
        maybe_generated: list[str] = []
        for kind, name, sql in rows:
            key = fold(_text(name))
            census.kinds.setdefault(key, _text(kind))
            if _text(kind) == "table":
                text = _text(sql)
                if text.lstrip()[:14].upper().startswith("CREATE VIRTUAL"):
                    census.kinds[key] = "virtual"
                elif _MAYBE_GENERATED.search(text):
                    maybe_generated.append(_text(name))
        try:
            for _schema, name, kind, *_ in conn.execute("PRAGMA main.table_list").fetchall():
                census.kinds[fold(_text(name))] = _text(kind)
        except sqlite3.Error:  # SQLite before 3.37: the sqlite_master reading above stands
            pass
        for table in maybe_generated:
            columns = conn.execute("SELECT name, hidden FROM pragma_table_xinfo(?)", (table,)).fetchall()
            virtual = {fold(_text(col)) for col, hidden in columns if hidden == 2}
            if virtual:
                census.generated[fold(table)] = virtual
        return census

    def kind(self, name: str) -> str | None:
        return self.kinds.get(fold(name))

    def is_table(self, name: str) -> bool:
        return self.kind(name) in REAL

    def real_tables(self) -> list[str]:
        return [name for name, kind in self.kinds.items() if kind in REAL]

    def oddity(self, label: str, name: str) -> str | None:
        """The one-line note for a name that exists but is not a real table (None otherwise)."""
        kind = self.kind(name)
        if kind is None or kind in REAL:
            return None
        if kind in _ODD:
            return tr(_ODD[kind], label=label, name=name)
        return tr(_ODD_OTHER, label=label, name=name, kind=kind)


_PENDING_REFUSALS: list[str] = []  # refusals since the last drain, in this process (one artifact per process)


def refused(note: str) -> None:
    """Record that something the artifact asked for was not read (a view or virtual table in a table's
    place, a denied statement): the engine then reports the artifact as not fully read."""
    if note and note not in _PENDING_REFUSALS and len(_PENDING_REFUSALS) < 100:
        _PENDING_REFUSALS.append(note)


def drain_refusals() -> list[str]:
    """Refusals recorded since the last call, then forget them."""
    notes = list(_PENDING_REFUSALS)
    _PENDING_REFUSALS.clear()
    return notes


def generated_note(label: str, table: str, column: str) -> str:
    return tr("%(label)s: column %(table)s.%(column)s is computed by an expression (a generated column), not stored "
              "as the app writes it; read as empty (possibly a crafted database)", label=label, table=table,
              column=column)


class Authorizer:
    """The SQLite authorizer of an evidence connection (see the module docstring)."""

    def __init__(self, label: str, census: SchemaCensus) -> None:
        self.label = label
        self.census = census
        self.refusal: str | None = None  # why the last statement was denied
        self.notes: list[str] = []

    def __call__(self, action: int, arg1: str | None, arg2: str | None, dbname: str | None,
                 source: str | None) -> int:
        census = self.census
        if action == sqlite3.SQLITE_RECURSIVE:
            return self._deny(tr("%(label)s: a recursive query was refused", label=self.label))
        if source is not None and census.kind(source) in ("view", "trigger", "virtual"):
            return self._deny(census.oddity(self.label, source)
                              or tr("%(label)s: %(source)s was not followed", label=self.label, source=source))
        if action == sqlite3.SQLITE_READ and arg1 is not None:
            kind = census.kind(arg1)
            if kind in ("view", "virtual"):
                return self._deny(census.oddity(self.label, arg1) or "")
            if arg2 is not None and fold(arg2) in census.generated.get(fold(arg1), ()):
                note = generated_note(self.label, arg1, arg2)
                if note not in self.notes:
                    self.notes.append(note)
                return sqlite3.SQLITE_IGNORE
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            return self._deny(tr("%(label)s: attaching another database was refused", label=self.label))
        return sqlite3.SQLITE_OK

    def _deny(self, why: str) -> int:
        self.refusal = why
        refused(why)
        return sqlite3.SQLITE_DENY
