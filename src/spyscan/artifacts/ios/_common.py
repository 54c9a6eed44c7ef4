"""Shared plumbing of the iOS database/plist artifacts.

Artifacts read files only through ``IOSSource`` (``ios_find``/``ios_read``/``ios_sqlite``) so that the
same code runs on backups and filesystem dumps. These helpers find the files, open databases with
text returned as bytes (invalid UTF-8 never raises), read the columns that exist and warn about the
ones that do not, and decode text and plists defensively.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from spyscan.artifacts.base import ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSFile, IOSPath, IOSSource
from spyscan.evidence.plist import PLIST_LIMIT, PlistError, PlistLimitError
from spyscan.evidence.plist import load_plist as bounded_plist
from spyscan.evidence.sqlite import has_table, note_generated, report_recovery, require_table, schema_notes
from spyscan.evidence.sqlite_guard import stepped_rows
from spyscan.evidence.sqlite_schema import SchemaRefused
from spyscan.evidence.textio import decode_bytes
from spyscan.faults import WRONG_TYPE, converter, note, registered
from spyscan.texts import tr
from spyscan.timeutil import IOS_FLOOR, from_cocoa, from_unix, from_webkit
from spyscan.values import raw_value as raw_value  # re-exported for the artifacts
from spyscan.values import safe_text, to_int, to_text


def ios_source(evidence: Evidence) -> IOSSource:
    if not isinstance(evidence, IOSSource):
        raise ArtifactNotFound(tr('%(value)s is not an iOS input', value=evidence.kind or tr('this input')))
    return evidence


def find_files(evidence: Evidence, specs: Sequence[IOSPath], what: str) -> tuple[IOSSource, list[IOSFile]]:
    """Every file matching any of ``specs`` (deduplicated by label); ArtifactNotFound when none."""
    source = ios_source(evidence)
    found: dict[str, IOSFile] = {}
    for spec in specs:
        for item in source.ios_find(spec):
            found.setdefault(item.label, item)
    if not found:
        raise ArtifactNotFound(tr('%(what)s not found', what=what))
    return source, list(found.values())


@contextlib.contextmanager
def open_db(source: IOSSource, file: IOSFile, log: ArtifactLog | None = None) -> Iterator[sqlite3.Connection]:
    """The database's private connection; with ``log``, a salvaged database marks the artifact recovered
    (records read from it should carry ``recovered=salvaged(conn)``).

    With ``log``, schema oddities met while reading (a view or virtual table where a table is expected,
    a generated column: ``evidence.sqlite_schema``) become warnings, and a ``SchemaRefused`` raised in
    the body ends the reading of this file with its warning instead of failing the artifact."""
    conn = source.ios_sqlite(file)
    if log is not None:
        report_recovery(conn, log)
    conn.text_factory = bytes  # decoded by ``text``: invalid UTF-8 is escaped, never an exception
    try:
        yield conn
    except SchemaRefused as exc:
        if log is None:
            raise
        log.mark_unread(str(exc))
    finally:
        if log is not None:
            for note in schema_notes(conn):
                if note not in log.warnings:
                    log.warn(note)
        conn.close()


def databases(evidence: Evidence, specs: Sequence[IOSPath], what: str, log: ArtifactLog,
              *tables: str) -> Iterator[tuple[IOSFile, sqlite3.Connection]]:
    """Each database matching ``specs`` that has ``tables``, open (closed when the caller moves on).

    A file lacking a table is skipped with a warning when other files may still be read (several
    Safari profiles or app containers); ArtifactNotFound when no file has them.
    """
    source, files = find_files(evidence, specs, what)
    missing_note: str | None = None
    usable = refused = 0
    for file in files:
        with open_db(source, file, log) as conn:
            missing = [t for t in tables if not has_table(conn, t)]
            odd = schema_notes(conn)
            if missing and odd:  # a view or virtual table stands where a table is expected: not followed
                refused += 1
                log.mark_unread("; ".join(odd))
                continue
            if missing:
                note = tr("%(file)s has no table %(tables)s", file=file.label, tables=", ".join(missing))
                missing_note = missing_note or note
                if len(files) > 1:
                    log.warn(note)
                continue
            usable += 1
            yield file, conn
    if not usable and not refused and missing_note is not None:
        raise ArtifactNotFound(missing_note)


def salvaged(conn: sqlite3.Connection) -> bool:
    """True when ``conn`` holds rows salvaged from a damaged database (see ``evidence.sqlite``)."""
    return bool(getattr(conn, "recovered", False))


def require_tables(conn: sqlite3.Connection, file: IOSFile, *tables: str) -> None:
    """ArtifactNotFound when a table is absent; ``SchemaRefused`` when one is a view, virtual table..."""
    missing = [t for t in tables if not require_table(conn, t)]
    if missing:
        raise ArtifactNotFound(tr('%(file)s has no table %(items)s', file=file.label, items=', '.join(missing)))


def columns_of(conn: sqlite3.Connection, table: str) -> set[str]:
    """Lower-cased column names of ``table`` (empty when it does not exist); generated columns are not
    listed, a virtual one is noted (warned by ``open_db``)."""
    names = conn.execute("SELECT name FROM pragma_table_info(?)", (table,)).fetchall()
    note_generated(conn, table)
    return {(text(r[0]) or "").lower() for r in names}


def present_columns(conn: sqlite3.Connection, table: str, wanted: Sequence[str], log: ArtifactLog,
                    label: str) -> set[str]:
    """The subset of ``wanted`` that ``table`` has; a warning names the missing ones."""
    have = columns_of(conn, table)
    missing = [c for c in wanted if c.lower() not in have]
    if missing:
        log.warn(tr('%(label)s: table %(table)s lacks column(s) %(items)s; left empty', label=label, table=table,
                    items=', '.join(missing)))
    return {c for c in wanted if c.lower() in have}


def col(table_alias: str, name: str, present: set[str]) -> str:
    """``alias.name`` when the column exists, else ``NULL`` (the field stays empty)."""
    return f'{table_alias}."{name}"' if name in present else "NULL"


def rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
    cursor = conn.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    for row in stepped_rows(cursor):
        yield dict(zip(names, row, strict=True))


@converter
def text(value: object) -> str | None:
    """A database/plist value as text: bytes decoded strictly (bad bytes and NULs escaped)."""
    if value is None:
        return None
    if type(value) is bytes:  # the usual case: valid UTF-8 without NUL, decoded in one C call
        try:
            decoded = value.decode("utf-8")
        except UnicodeDecodeError:
            decoded = decode_bytes(value).text
        else:
            if "\x00" in decoded:
                decoded = decode_bytes(value).text
        return decoded or None
    if isinstance(value, bytes | bytearray):
        decoded = decode_bytes(bytes(value)).text
        return decoded or None
    if isinstance(value, str):
        if "\x00" in value:
            value = value.replace("\x00", "\\x00")
        return safe_text(value) or None
    if isinstance(value, int | float):
        return to_text(value)
    note(WRONG_TYPE, value)
    return None


@registered
def blob(value: object) -> bytes | None:
    if isinstance(value, bytes | bytearray):
        return bytes(value) or None
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass") or None
    return None


@registered
def integer(value: object) -> int | None:
    """An integer column/plist value (a bool counts as 0/1); a value that is no usable integer is a fault."""
    if type(value) is int and -(1 << 63) <= value < 1 << 64:  # the usual case (SQLite integers)
        return value
    if isinstance(value, bool):
        return int(value)
    return to_int(value)


def load_plist(data: bytes) -> Any:
    """Parse a plist (binary or XML) within the reader's bounds (``spyscan.evidence.plist``); ``PlistError``
    (a ValueError with a one-line reason) otherwise, ``PlistLimitError`` when a bound was reached."""
    return bounded_plist(data)


def plist_problem(label: str, exc: PlistError, log: ArtifactLog) -> None:
    """Report a plist that could not be read: a limit reached marks the artifact truncated (a part of the
    evidence was not checked), a damaged plist is a warning."""
    if isinstance(exc, PlistLimitError):
        log.mark_truncated(tr('%(label)s was not read: %(error)s', label=label, error=exc))
    else:
        log.warn(tr('%(label)s is not a readable plist: %(error)s', label=label, error=exc))


def read_plist(source: IOSSource, file: IOSFile, log: ArtifactLog) -> Any | None:
    """The parsed plist, or None (with a warning, or the truncated status) when it cannot be parsed."""
    try:
        return load_plist(source.ios_read(file, PLIST_LIMIT))
    except PlistError as exc:
        plist_problem(file.label, exc, log)
        return None


WALK_LIMIT = 2_000_000  # values visited by one walk over a plist and the plists nested in its data values


def ns_keyed_strings(value: Any) -> list[str]:
    """Every string inside a (possibly NSKeyedArchiver) plist structure, depth-first, plists nested in data
    values included. ``PlistLimitError`` past ``WALK_LIMIT`` values in all (never a silent cut)."""
    found: list[str] = []
    stack: list[Any] = [value]
    seen = 0
    while stack:
        seen += 1
        if seen > WALK_LIMIT:
            raise PlistLimitError(tr('more than %(walk_limit)s values in nested property lists', walk_limit=WALK_LIMIT))
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list | tuple):
            stack.extend(reversed(item))
        elif isinstance(item, bytes) and item.startswith(b"bplist00"):
            try:
                stack.append(load_plist(item))
            except PlistLimitError:
                raise
            except PlistError:
                continue  # a damaged nested plist: its bytes are not text anyway
    return found


@registered
def cocoa(value: object, floor: datetime | None = IOS_FLOOR) -> datetime | None:
    """Cocoa seconds or nanoseconds; 0/-1/empty (``not set`` in most Apple databases) give None.

    ``floor``: times before the first iPhone cannot have been recorded by one (None for dates a person
    chose, such as calendar events)."""
    if type(value) is float or type(value) is int:  # the usual case (a bool is neither type)
        return from_cocoa(value, floor) if value else None
    return from_cocoa(value, floor)


@registered
def unix(value: object, floor: datetime | None = IOS_FLOOR) -> datetime | None:
    if type(value) is float or type(value) is int:
        return from_unix(value, floor) if value else None
    return from_unix(value, floor)


@registered
def webkit(value: object) -> datetime | None:
    """Chrome/WebKit microseconds since 1601 (0/-1: not set)."""
    return from_webkit(value, IOS_FLOOR)


def split_handle(handle: str | None) -> tuple[str | None, str | None]:
    """``(phone, email)`` from a message handle / account id (``mailto:``/``tel:`` prefixes removed)."""
    if not handle:
        return None, None
    value = handle.strip()
    lowered = value.lower()
    for prefix in ("mailto:", "tel:", "e:", "p:"):
        if lowered.startswith(prefix):
            value = value[len(prefix):]
            break
    if "@" in value:
        return None, value
    return value, None
