"""Evidence SQLite databases are never opened in place; damaged ones are salvaged.

A plain ``sqlite3.connect`` on an evidence file can merge its ``-wal`` into it or create ``-shm``
files. Instead the database and its ``-wal``/``-journal`` companions are copied (and hashed while
copied) into the run's private work folder and the copy is opened with writes refused. Because the
``-wal`` is copied with the database, transactions still pending in it are visible; the evidence's own
files never change and no ``-shm`` ever appears next to them.

API (for kinds and artifacts):

``open_private_copy(src, workdir, log, label) -> PrivateConnection``
    Copy ``src`` and its companions, then ``open_checked``.
``open_checked(path, label, workdir=None) -> PrivateConnection``
    Open an already private copy (kinds that copy files themselves, e.g. decrypted backup files).
    The copy is checked with ``PRAGMA quick_check``:

    * healthy: a normal connection, ``conn.recovered`` is ``False``;
    * damaged ("database disk image is malformed"...): the readable rows of every table are salvaged
      into a fresh database next to the copy (per table, in rowid order, skipping damaged rowid
      ranges), and the returned connection has ``conn.recovered = True`` and ``conn.recovery_note``
      (one line naming the file, the damage and the number of rows salvaged);
    * not a database at all (random bytes, empty file, unreadable header): ``DamagedDatabase``, an
      ``EvidenceError`` whose one-line message names the file.

``report_recovery(conn, log)``
    Call ``log.mark_recovered(conn.recovery_note)`` when the connection holds salvaged rows, so that
    the artifact's status becomes ``recovered``. Every recovery is also queued per process and can be
    collected with ``drain_recovery_notes()`` (the engine may call it after each artifact).
Invalid UTF-8
    TEXT values that are not valid UTF-8 come back escaped (``\\xNN``) and are counted in
    ``conn.undecodable_values`` (artifacts may warn about them); ``text_factory = bytes`` still works.
``table_columns(conn, table)`` / ``has_table(conn, table)`` / ``require_table(conn, table)``
    Schema helpers that never raise on a damaged schema (an unreadable schema has no tables).
    ``has_table`` is True only for a real table: a view, virtual table, trigger or index of that name
    is remembered as a note (``schema_notes(conn)``) and answered False; ``require_table`` raises
    ``SchemaRefused`` for them (``sqlite_schema``).
Hostile databases
    Every connection returned here is armed (``_arm``): SQLite limits (``SQL_LIMITS``: no value over
    256 MiB, no schema statement over 1 MiB, no ATTACH), ``trusted_schema = OFF``, the schema loaded
    under its budget, a census of what it holds, the authorizer that reads only real tables
    (``sqlite_schema``), the progress handler with the statement, connection and temporary-file
    budgets and the stop request (``sqlite_guard``), and SQLite's temporary files in a private
    folder. Copies are written under ``diskspace.SpaceGuard``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any, Protocol

from spyscan.errors import EvidenceError
from spyscan.evidence.custody import InputFile, InputLog, sha256_stream
from spyscan.evidence.diskspace import ensure_room, writing
from spyscan.evidence.sqlite_guard import TICK, Guard, GuardedCursor, ensure_temp_folder, track, untrack
from spyscan.evidence.sqlite_schema import Authorizer, SchemaCensus, SchemaRefused, fold, generated_note, refused
from spyscan.texts import tr

COMPANIONS = ("-wal", "-journal")
MAX_ROWID = (1 << 63) - 1
MAX_SKIPS_PER_TABLE = 256  # damaged rowid ranges skipped before a table is given up
_PENDING_NOTES: list[str] = []
# what a damaged database can raise: SQLite errors, and undecodable bytes in SQLite's own messages
# SQLite reports SQLITE_NOMEM as Python's MemoryError: a crafted database can make one statement ask for
# more than SQLite's allocation limits allow (a fuzzed quick_check did, at 22 MB of RSS); it is damage
# of that database, never a crash of the artifact
_SQL_ERRORS = (sqlite3.Error, UnicodeDecodeError, ValueError, OverflowError, MemoryError)
SQL_LIMITS = (
    (sqlite3.SQLITE_LIMIT_LENGTH, 256 << 20),  # a string or blob (a larger one is an error for its row)
    (sqlite3.SQLITE_LIMIT_SQL_LENGTH, 1 << 20),  # one statement, also each CREATE of the schema
    (sqlite3.SQLITE_LIMIT_ATTACHED, 0),
)
SPACE_CHECK_ROWS = 10_000  # salvaged rows between two checks of the free space


class DamagedDatabase(EvidenceError):
    """An evidence database that cannot be read at all (its message names the file)."""


class RecoveryLog(Protocol):
    def mark_recovered(self, message: str) -> None: ...


class PrivateConnection(sqlite3.Connection):
    """A connection to a private copy; ``recovered`` tells whether its rows were salvaged.

    TEXT values are decoded leniently by default: invalid UTF-8 is kept as ``\\xNN`` escapes (as in
    ``textio``) and counted in ``undecodable_values`` instead of raising in the middle of a query.
    Artifacts that want raw bytes still set ``conn.text_factory = bytes``.
    """

    recovered: bool = False
    recovery_note: str = ""
    recovery_detail: str = ""  # SQLite's own words about the damage (technical, shown verbatim)
    label: str = ""
    undecodable_values: int = 0
    guard: Guard | None = None
    census: SchemaCensus | None = None
    authorizer: Authorizer | None = None
    oddities: list[str] | None = None

    def cursor(self, factory: Any = GuardedCursor) -> Any:
        return super().cursor(factory)

    def close(self) -> None:
        untrack(self)
        super().close()

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, parameters)

    def take_refusal(self, exc: BaseException) -> None:
        """Raise ``SchemaRefused`` when the authorizer denied the statement that raised ``exc``."""
        authorizer = self.authorizer
        if authorizer is not None and authorizer.refusal is not None:
            why, authorizer.refusal = authorizer.refusal, None
            self.note(why)
            raise SchemaRefused(why) from exc

    def note(self, text: str) -> None:
        if self.oddities is None:
            self.oddities = []
        if text not in self.oddities:
            self.oddities.append(text)

    def use_lenient_text(self) -> None:
        def decode(raw: bytes) -> str:
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                self.undecodable_values += 1
                return raw.decode("utf-8", "backslashreplace")

        self.text_factory = decode


def copy_with_hash(src: Path, dst: Path, log: InputLog, label: str) -> None:
    """Copy ``src`` to ``dst`` (hashed while copied; the free space is watched: ``DiskSpaceLow``)."""
    dst.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with src.open("rb") as fin, dst.open("wb") as fout:
        size, digest = sha256_stream(fin, fout, label, _size_of(fin))
    log.add(InputFile(path=label, size=size, sha256=digest))


def _size_of(fh: Any) -> int:
    try:
        return os.fstat(fh.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        return 0


def open_private_copy(src: Path, workdir: Path, log: InputLog, label: str) -> PrivateConnection:
    """Copy ``src`` (+ companions) into ``workdir`` and open the checked copy; writes are refused."""
    target_dir = workdir / "sqlite" / str(abs(hash((str(src), label))))
    target = target_dir / src.name
    copy_with_hash(src, target, log, label)
    for suffix in COMPANIONS:
        companion = src.with_name(src.name + suffix)
        if companion.is_file():
            copy_with_hash(companion, target.with_name(target.name + suffix), log, label + suffix)
    return open_checked(target, label)


def _connect(path: Path, check_same_thread: bool = True) -> PrivateConnection:
    conn = sqlite3.connect(str(path), factory=PrivateConnection, check_same_thread=check_same_thread)
    assert isinstance(conn, PrivateConnection)
    return conn


def _database_size(path: Path) -> int:
    total = 0
    for candidate in (path, path.with_name(path.name + "-wal")):
        with contextlib.suppress(OSError):
            total += candidate.stat().st_size
    return total


def _arm(conn: PrivateConnection, path: Path, label: str) -> None:
    """Limits, budgets and the real-tables-only rule for a fresh connection (see the module docstring).

    Raises ``BudgetExceeded`` when the schema is too large to load; leaves ``conn.census`` None when the
    schema cannot be read (the caller's health check reports the damage).
    """
    conn.label = label
    ensure_temp_folder(path.parent)
    for limit, value in SQL_LIMITS:
        conn.setlimit(limit, value)
    guard = Guard(label, _database_size(path))
    conn.guard = guard
    conn.set_progress_handler(guard.progress, TICK)
    track(conn)
    guard.begin_schema()
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.text_factory = _lenient_text  # names in a damaged schema may hold any bytes
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 0").fetchall()  # loads the schema under its budget
        guard.end_schema()
        conn.census = SchemaCensus.read(conn)
    except _SQL_ERRORS:
        conn.census = None
    finally:
        guard.end_schema()
        conn.text_factory = str
    conn.authorizer = Authorizer(label, conn.census or SchemaCensus())
    conn.set_authorizer(conn.authorizer)


def _one_line(exc: BaseException) -> str:
    return str(exc).replace("\n", " ").strip()[:200] or type(exc).__name__


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _health(conn: sqlite3.Connection) -> str | None:
    """``None`` when healthy, else a short description of the damage.

    ``quick_check`` evaluates CHECK constraints and computes generated columns on every row, so a
    crafted schema could make it endless: CHECK constraints are ignored (the connection never writes)
    and tables with virtual generated columns are left out of the check (their columns are never
    computed, see ``sqlite_schema``)."""
    conn.text_factory = _lenient_text  # damage reports quote names with arbitrary bytes
    census = getattr(conn, "census", None)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        if census is None or not census.generated:
            rows = conn.execute("PRAGMA quick_check(20)").fetchall()
        else:
            rows = []
            for table in census.real_tables():
                if table not in census.generated:
                    rows += conn.execute(f"PRAGMA quick_check({_quote(table)})").fetchall()
    except _SQL_ERRORS as exc:
        return _one_line(exc)
    finally:
        conn.text_factory = str
    problems = [" ".join(str(r[0]).split()) for r in rows if str(r[0]) != "ok"]  # one line, whatever SQLite says
    return "; ".join(problems)[:200] if problems else None


def open_checked(path: Path, label: str, workdir: Path | None = None,
                 check_same_thread: bool = True) -> PrivateConnection:
    """Open the private copy ``path``; salvage it when damaged (see the module docstring).

    ``check_same_thread=False`` is passed to ``sqlite3.connect`` (of the copy or of the salvaged database)
    for connections shared between threads.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DamagedDatabase(tr('%(label)s: cannot be read (%(one_line)s)', label=label,
                                 one_line=_one_line(exc))) from exc
    if size == 0:
        raise DamagedDatabase(tr('%(label)s is an empty file (0 bytes), not a SQLite database', label=label))
    try:
        conn = _connect(path, check_same_thread)
    except _SQL_ERRORS as exc:
        raise DamagedDatabase(tr('%(label)s cannot be opened as a SQLite database (%(one_line)s)', label=label,
                                 one_line=_one_line(exc))) from exc
    try:
        _arm(conn, path, label)
    except BaseException:
        conn.close()
        raise
    damage = _health(conn)
    if damage is None and conn.census is None:
        damage = tr("its schema cannot be read")
    if damage is None:
        conn.execute("PRAGMA query_only = ON")
        conn.use_lenient_text()
        return conn
    if "not a database" in damage or "encrypted" in damage:
        conn.close()
        raise DamagedDatabase(tr('%(label)s is not a SQLite database (%(damage)s)', label=label, damage=damage))
    try:
        recovered = _recover(conn, path, label, damage, workdir or path.parent, check_same_thread)
    finally:
        conn.close()
    return recovered


# --------------------------------------------------------------------------------------------
# salvage


def _decode_text(raw: bytes) -> str | bytes:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw  # kept as a BLOB: invalid UTF-8 is never lost nor an exception


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(damaged: sqlite3.Connection) -> list[str]:
    """Real tables only (never a view or virtual table: salvage reads every row of what it lists)."""
    try:
        rows = damaged.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%'"
        ).fetchall()
    except _SQL_ERRORS:
        return []
    census = getattr(damaged, "census", None)
    names = [str(r[0]) for r in rows if isinstance(r[0], str)]
    return [n for n in names if census is None or census.is_table(n)]


def _columns(damaged: sqlite3.Connection, table: str) -> list[str]:
    try:
        rows = damaged.execute("SELECT name FROM pragma_table_info(?)", (table,)).fetchall()
    except _SQL_ERRORS:
        return []
    return [str(r[0]) for r in rows]


def _has_rowid(damaged: sqlite3.Connection, table: str) -> bool:
    try:
        damaged.execute(f"SELECT rowid FROM {_quote(table)} LIMIT 0")
    except _SQL_ERRORS:
        return False
    return True


def _salvage_table(damaged: sqlite3.Connection, fresh: sqlite3.Connection, table: str,
                   columns: list[str], where: Path | None = None) -> tuple[int, int]:
    """Copy the readable rows of ``table``; returns ``(rows copied, damaged ranges skipped)``.

    With ``where`` (the salvaged database's folder), the free space there is checked every
    ``SPACE_CHECK_ROWS`` rows (``DiskSpaceLow``)."""
    room = _RoomCheck(where, str(getattr(damaged, "label", "") or table))
    quoted_cols = ", ".join(_quote(c) for c in columns)
    with_rowid = _has_rowid(damaged, table) and "rowid" not in {c.lower() for c in columns}
    placeholders = ", ".join("?" for _ in range(len(columns) + (1 if with_rowid else 0)))
    insert = (f"INSERT OR IGNORE INTO {_quote(table)} ({'rowid, ' if with_rowid else ''}{quoted_cols}) "
              f"VALUES ({placeholders})")
    if not with_rowid:
        copied = 0
        with contextlib.suppress(*_SQL_ERRORS):
            for row in damaged.execute(f"SELECT {quoted_cols} FROM {_quote(table)}"):
                fresh.execute(insert, row)
                copied += 1
                room.row()
        return copied, 0 if copied else 1
    copied = skips = 0
    after: int | None = None
    step = 1
    query = f"SELECT rowid, {quoted_cols} FROM {_quote(table)} WHERE rowid > ? ORDER BY rowid"
    while skips <= MAX_SKIPS_PER_TABLE:
        start = after if after is not None else -(1 << 63)
        last = None
        try:
            for row in damaged.execute(query, (start,)):
                fresh.execute(insert, row)
                copied += 1
                room.row()
                last = int(row[0])
            return copied, skips
        except _SQL_ERRORS:
            skips += 1
            if last is not None:  # progress, then damage: retry just after the last good row
                after, step = last, 1
            elif after is None:  # the first rows are damaged: continue with positive rowids
                after = 0
            else:  # no progress: jump further and further past the damaged range
                after += step
                step = min(step * 4, 1 << 40)
            if after >= MAX_ROWID:
                break
    return copied, skips


class _RoomCheck:
    """Checks the free space of a folder every ``SPACE_CHECK_ROWS`` calls of ``row`` (no folder: never)."""

    def __init__(self, where: Path | None, what: str) -> None:
        self.where = where
        self.what = what
        self.rows = 0

    def row(self) -> None:
        self.rows += 1
        if self.where is not None and self.rows % SPACE_CHECK_ROWS == 0:
            ensure_room(self.where, self.what)


def _fit_header_to_file(path: Path) -> bool:
    """On the private copy only: cut a truncated file to whole pages and set the header's page count.

    A cut database announces more pages than it holds, and SQLite then refuses even its schema.
    """
    try:
        with path.open("r+b") as fh:
            header = fh.read(100)
            if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
                return False
            page_size = int.from_bytes(header[16:18], "big")
            page_size = 65536 if page_size == 1 else page_size
            if page_size < 512 or page_size & (page_size - 1):
                return False
            size = fh.seek(0, 2)
            pages = size // page_size
            if pages < 1 or (int.from_bytes(header[28:32], "big") == pages and size % page_size == 0):
                return False
            fh.truncate(pages * page_size)
            fh.seek(28)
            fh.write(pages.to_bytes(4, "big"))
    except OSError:
        return False
    return True


def _recover(damaged: PrivateConnection, path: Path, label: str, damage: str, folder: Path,
             check_same_thread: bool = True) -> PrivateConnection:
    damaged.text_factory = _decode_text
    tables = _tables(damaged)
    if not tables and _fit_header_to_file(path):  # truncated copies: make the header match what is left
        damaged.close()
        reopened = _connect(path)
        try:
            _arm(reopened, path, label)
            return _recover(reopened, path, label, damage, folder, check_same_thread)
        finally:
            reopened.close()
    if not tables:
        raise DamagedDatabase(tr('%(label)s is damaged beyond recovery (%(damage)s); its schema is unreadable',
                                 label=label, damage=damage))
    fresh_path = folder / f"{path.name}.recovered-{abs(hash((str(path), label)))}.sqlite"
    fresh_path.unlink(missing_ok=True)
    ensure_room(folder, label)
    fresh = _connect(fresh_path, check_same_thread)
    total = skipped = 0
    try:
        with writing(label):
            for table in tables:
                columns = _columns(damaged, table)
                if not columns:
                    continue
                fresh.execute(f"CREATE TABLE {_quote(table)} ({', '.join(_quote(c) for c in columns)})")
                rows, skips = _salvage_table(damaged, fresh, table, columns, folder)
                total += rows
                skipped += skips
            fresh.commit()
        _arm(fresh, fresh_path, label)
    except _SQL_ERRORS as exc:
        fresh.close()
        raise DamagedDatabase(tr('%(label)s is damaged (%(damage)s) and could not be salvaged: %(one_line)s',
                                 label=label, damage=damage, one_line=_one_line(exc))) from exc
    except BaseException:
        fresh.close()
        raise
    fresh.execute("PRAGMA query_only = ON")
    fresh.use_lenient_text()
    fresh.recovered = True
    fresh.label = label
    # the person reads what was salvaged, in their language; SQLite's own words about the damage follow as a
    # line of their own, shown verbatim (technical text, like a record's value)
    fresh.recovery_note = (
        tr("%(label)s is damaged; %(total)s row(s) of %(tables)s table(s) salvaged, %(skipped)s damaged range(s) "
           "skipped; records are recovered", label=label, total=total, tables=len(tables), skipped=skipped)
        if skipped else
        tr("%(label)s is damaged; %(total)s row(s) of %(tables)s table(s) salvaged; records are recovered",
           label=label, total=total, tables=len(tables)))
    fresh.recovery_detail = f"{label}: SQLite: {damage}"
    _PENDING_NOTES.extend((fresh.recovery_note, fresh.recovery_detail))
    return fresh


def report_recovery(conn: sqlite3.Connection, log: RecoveryLog) -> bool:
    """Mark the artifact ``recovered`` when ``conn`` holds salvaged rows; True when it does."""
    if getattr(conn, "recovered", False):
        note = getattr(conn, "recovery_note", None) or tr("rows recovered from a damaged database")
        for line in (note, getattr(conn, "recovery_detail", "")):
            if line:
                log.mark_recovered(line)
                with contextlib.suppress(ValueError):
                    _PENDING_NOTES.remove(line)
        return True
    return False


def drain_recovery_notes() -> list[str]:
    """Recovery notes of databases opened since the last call (in this process), then forget them."""
    notes = list(_PENDING_NOTES)
    _PENDING_NOTES.clear()
    return notes


# --------------------------------------------------------------------------------------------
# schema helpers


def table_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """Names of ``table``'s stored columns (empty when it is not a real table or unreadable).

    Generated columns are not listed (``pragma_table_info`` hides them); a virtual one is noted."""
    if not has_table(conn, table):
        return set()
    try:
        rows = conn.execute("SELECT name FROM pragma_table_info(?)", (table,)).fetchall()
    except _SQL_ERRORS:
        return set()
    note_generated(conn, table)
    return {_text(r[0]) for r in rows}


def note_generated(conn: sqlite3.Connection, table: str) -> None:
    """Note every virtual generated column of ``table`` (they read as empty, see ``sqlite_schema``)."""
    census = getattr(conn, "census", None)
    if census is None or not isinstance(conn, PrivateConnection):
        return
    for column in sorted(census.generated.get(fold(table), ())):
        conn.note(generated_note(conn.label or "database", table, column))


def has_table(conn: sqlite3.Connection, table: str) -> bool:
    """True only when ``table`` is a real table; any other object of that name is noted, then False."""
    census = getattr(conn, "census", None)
    if census is not None:
        odd = census.oddity(getattr(conn, "label", "") or "database", table)
        if odd is not None:
            refused(odd)
            if isinstance(conn, PrivateConnection):
                conn.note(odd)
        return bool(census.is_table(table))
    try:
        row = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? AND sql NOT LIKE 'CREATE VIRTUAL%'",
            (table,),
        ).fetchone()
    except _SQL_ERRORS:
        return False
    return row is not None


def require_table(conn: sqlite3.Connection, table: str) -> bool:
    """True when ``table`` is a real table, False when absent; ``SchemaRefused`` when it is something else."""
    if has_table(conn, table):
        return True
    census = getattr(conn, "census", None)
    odd = census.oddity(getattr(conn, "label", "") or "database", table) if census is not None else None
    if odd is not None:
        raise SchemaRefused(odd)
    return False


def real_tables(conn: sqlite3.Connection) -> list[str]:
    """Names of the real tables of ``conn`` (as SQLite parsed the schema)."""
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except _SQL_ERRORS:
        return []
    census = getattr(conn, "census", None)
    names = [_text(r[0]) for r in rows]
    return [n for n in names if census is None or census.is_table(n)]


def schema_notes(conn: sqlite3.Connection) -> list[str]:
    """Schema oddities met on ``conn`` (views where tables were asked, generated columns...), one line each."""
    notes = list(getattr(conn, "oddities", None) or [])
    authorizer = getattr(conn, "authorizer", None)
    for note in getattr(authorizer, "notes", None) or []:
        if note not in notes:
            notes.append(note)
    return notes


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
