"""Budgets for every SQLite statement run on evidence, and a way to stop them from outside.

A database from the evidence is data, but SQLite runs what its schema says: a crafted ``sms.db`` can
make a statement endless (a view over ``WITH RECURSIVE``), quadratic (misleading planner statistics),
or spill without end to temporary files. ``sqlite_schema`` refuses what a schema should not hold;
this module bounds what is left. Every private connection (``evidence.sqlite.open_checked``) gets a
``Guard`` as its SQLite progress handler, called every ``TICK`` virtual-machine steps, which stops the
running statement when:

* the statement ran more than ``statement_steps(size)`` steps, or all statements of the connection
  together more than ``CONNECTION_FACTOR`` times that: ``BudgetExceeded(status="timeout")``;
* loading the schema ran more than ``SPYSCAN_SQLITE_SCHEMA_STEPS`` steps (about 7 steps per schema
  entry; real iOS and Android databases have at most a few thousand): ``BudgetExceeded("truncated")``;
* SQLite's temporary files of this process (sorter spills, materialised subqueries) hold more than
  ``temp_bytes(size)``: ``BudgetExceeded("truncated")``;
* the disk holding them has less than ``diskspace.reserve()`` free: ``DiskSpaceLow``;
* a stop was requested (``evidence.stop.request``, called by the engine's handlers of SIGTERM, SIGINT
  and of the artifact's time budget): ``StopRequested``, a ``BudgetExceeded`` whose status is
  ``timeout`` or ``interrupted`` as the request says. Every private connection registers its
  ``interrupt`` with ``evidence.stop`` while it is open, and the progress handler being Python code,
  pending signal handlers run inside it even while the worker is in a long SQLite call.

``size`` is the database's size in bytes (file and ``-wal``), so budgets grow with the input
(environment variables in brackets):

* one statement: max(200 million, 32 x size) steps [``SPYSCAN_SQLITE_MIN_STEPS``,
  ``SPYSCAN_SQLITE_STEPS_PER_BYTE``];
* all statements of one connection together: 4 times that;
* loading the schema: 400,000 steps, about 57,000 schema entries [``SPYSCAN_SQLITE_SCHEMA_STEPS``];
* SQLite's temporary files: max(256 MiB, 4 x size) [``SPYSCAN_SQLITE_MIN_TEMP_BYTES``,
  ``SPYSCAN_SQLITE_TEMP_PER_BYTE``].

Measured on the bench's generated backups (``bench/``), spyscan's own statements use at most 0.35
steps per byte of a database (0.7 for all statements of a connection), so a real database stays about
90 times below its budget; SQLite runs 30 to 200 million steps a second, so the floor is a few seconds.

The progress handler cannot raise through SQLite: it records why it stopped and returns 1, SQLite
reports "interrupted", and ``GuardedCursor`` (the cursor of every private connection) raises the
recorded exception instead (so do later statements on a connection stopped for good). ``BudgetExceeded``
is not an ``sqlite3.Error``, so an artifact's
``except sqlite3.Error`` never mistakes a budget for a damaged row; the records it produced before
are kept by the engine.

Temporary files: ``use_temp_folder(work)`` (called by ``diskspace.preflight``) points SQLite's
temporary files for the whole process (``PRAGMA temp_store_directory``, inherited by forked workers)
to ``work/sqlite-tmp``; connections opened without it use a folder beside their private copy, never
the system temporary folder. SQLite unlinks them on creation; on Linux their size is read from
``/proc/self/fd``, elsewhere only the disk's free space is watched.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spyscan.errors import BudgetExceeded
from spyscan.evidence import stop
from spyscan.evidence.diskspace import DiskSpaceLow, free_bytes, low_message, mib, reserve
from spyscan.texts import tr

TICK = 10_000  # SQLite steps between two calls of the progress handler
DISK_EVERY = 16  # progress calls between two looks at temporary files and free space
CONNECTION_FACTOR = 4
MIN_STEPS = 200_000_000
STEPS_PER_BYTE = 32
SCHEMA_STEPS = 400_000
MIN_TEMP_BYTES = 256 << 20
TEMP_PER_BYTE = 4
TEMP_SUBFOLDER = "sqlite-tmp"

_TEMP_LOCK = threading.Lock()
_TEMP_DIR: list[str] = []


class StopRequested(BudgetExceeded):
    """A statement was stopped because a stop was requested (``evidence.stop``): the artifact's time budget
    ran out (status ``timeout``) or the check is being interrupted (status ``interrupted``)."""

    def __init__(self, label: str, reason: str) -> None:
        why = (tr("the artifact's time budget ran out") if reason == "timeout"
               else tr("the check is being interrupted") if reason == "interrupted" else reason)
        super().__init__(tr("%(label)s: reading stopped because %(why)s; the records read before are kept",
                            label=label, why=why), status="timeout" if reason == "timeout" else "interrupted")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = int(float(raw))
    except ValueError:
        return default
    return value if value > 0 else default


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name) or default)
    except ValueError:
        return default
    return value if value > 0 else default


def statement_steps(size: int) -> int:
    return max(_env_int("SPYSCAN_SQLITE_MIN_STEPS", MIN_STEPS),
               int(_env_float("SPYSCAN_SQLITE_STEPS_PER_BYTE", STEPS_PER_BYTE) * max(size, 0)))


def schema_steps() -> int:
    return _env_int("SPYSCAN_SQLITE_SCHEMA_STEPS", SCHEMA_STEPS)


def temp_bytes(size: int) -> int:
    return max(_env_int("SPYSCAN_SQLITE_MIN_TEMP_BYTES", MIN_TEMP_BYTES),
               int(_env_float("SPYSCAN_SQLITE_TEMP_PER_BYTE", TEMP_PER_BYTE) * max(size, 0)))


# --------------------------------------------------------------------------------------------
# stopping from outside (``evidence.stop``)


def track(conn: sqlite3.Connection) -> None:
    """Let ``evidence.stop.request`` interrupt ``conn`` while it is open (``untrack`` on close)."""
    ref = weakref.ref(conn)

    def interrupt() -> None:
        target = ref()
        if target is not None:
            target.interrupt()

    stop.register(id(conn), interrupt)
    # a connection dropped without close leaves the registry when it is freed, before its id can be reused
    weakref.finalize(conn, stop.unregister, id(conn))


def untrack(conn: sqlite3.Connection) -> None:
    stop.unregister(id(conn))


# --------------------------------------------------------------------------------------------
# temporary files


def use_temp_folder(folder: Path) -> Path:
    """Send SQLite's temporary files of this process to ``folder/sqlite-tmp`` (created 0700)."""
    target = folder / TEMP_SUBFOLDER
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = str(target.resolve())
    with _TEMP_LOCK:
        if _TEMP_DIR and _TEMP_DIR[0] == path and os.path.isdir(path):
            return target
        probe = sqlite3.connect(":memory:")
        try:
            quoted = path.replace("'", "''")
            probe.execute(f"PRAGMA temp_store_directory = '{quoted}'")
            row = probe.execute("PRAGMA temp_store_directory").fetchone()
        finally:
            probe.close()
        _TEMP_DIR[:] = [path] if row and row[0] == path else []
    return target


def temp_folder(existing: bool = True) -> str | None:
    """SQLite's temporary folder for this process, when one was set (and, by default, still exists)."""
    if _TEMP_DIR and (not existing or os.path.isdir(_TEMP_DIR[0])):
        return _TEMP_DIR[0]
    return None


def ensure_temp_folder(beside: Path) -> None:
    """Make sure SQLite's temporary files go to a private folder (``beside/sqlite-tmp`` when none is set)."""
    if temp_folder() is None:
        use_temp_folder(beside)


def temp_files_bytes(folder: str) -> int | None:
    """Bytes held by this process's open (unlinked) temporary files in ``folder``; None without /proc."""
    fds = "/proc/self/fd"
    try:
        names = os.listdir(fds)
    except OSError:
        return None
    prefix = folder.rstrip("/") + "/"
    total = 0
    for name in names:
        link = f"{fds}/{name}"
        try:
            if os.readlink(link).startswith(prefix):
                total += os.stat(link).st_blocks * 512
        except OSError:
            continue
    return total


# --------------------------------------------------------------------------------------------
# the progress handler


class Guard:
    """The budgets of one connection; its ``progress`` method is the SQLite progress handler."""

    def __init__(self, label: str, size: int) -> None:
        self.label = label
        self.size = size
        self.statement_limit = statement_steps(size)
        self.connection_limit = self.statement_limit * CONNECTION_FACTOR
        self.temp_limit = temp_bytes(size)
        self.steps = 0  # of the running statement
        self.total = 0  # of every statement of the connection
        self.calls = 0
        self.limit = self.statement_limit
        self.schema_phase = False
        self.reason: BaseException | None = None
        self.lasting = False  # the reason applies to every later statement too
        self.external = False  # the reason is a stop request (it can be lifted)

    def start_statement(self) -> None:
        """A new statement: its step count restarts; a lasting stop refuses it at once.

        A stop request stops every later statement until ``evidence.stop.reset``; the connection's joint
        budget, a schema too large and a full disk stop them for good."""
        self.steps = 0
        if self.reason is not None and (not self.lasting or self.external):
            self.reason = None
        external = self._external()
        if external is not None:
            self._stop(external, True)
            self.external = True
        if self.reason is not None:
            raise self.reason

    def _external(self) -> BaseException | None:
        reason = stop.requested()
        return None if reason is None else StopRequested(self.label, reason)

    def begin_schema(self) -> None:
        self.schema_phase = True
        self.limit = schema_steps()
        self.start_statement()

    def end_schema(self) -> None:
        self.schema_phase = False
        self.limit = self.statement_limit

    def progress(self) -> int:
        if self.reason is not None and self.lasting:
            return 1
        self.steps += TICK
        self.total += TICK
        external = self._external()
        if external is not None:
            self.external = True
            return self._stop(external, True)
        if self.steps > self.limit:
            return self._stop(self._over_steps(), self.schema_phase)
        if self.total > self.connection_limit:
            return self._stop(BudgetExceeded(
                tr('%(self)s: the queries on this database ran past their joint budget of %(connection_limit)s '
                   'SQLite steps (%(connection_factor)s times the budget of one query, '
                   'SPYSCAN_SQLITE_STEPS_PER_BYTE); stopped, the records read before are kept', self=self.label,
                   connection_limit=format(self.connection_limit, ","), connection_factor=CONNECTION_FACTOR),
                status="timeout"), True)
        self.calls += 1
        if self.calls % DISK_EVERY == 0:
            return self._disk()
        return 0

    def _over_steps(self) -> BudgetExceeded:
        if self.schema_phase:
            return BudgetExceeded(
                tr('%(self)s: its schema lists too many objects (loading it ran past %(limit)s SQLite steps, about 7 '
                   'per table, index, view or trigger; SPYSCAN_SQLITE_SCHEMA_STEPS); not read', self=self.label,
                   limit=format(self.limit, ",")),
                status="truncated")
        return BudgetExceeded(
            tr("%(self)s: a query ran past its budget of %(limit)s SQLite steps (scaled to the database's %(size)s "
               "bytes, SPYSCAN_SQLITE_STEPS_PER_BYTE / SPYSCAN_SQLITE_MIN_STEPS); stopped, the records read before "
               "are kept", self=self.label, limit=format(self.limit, ","), size=format(self.size,
                                                                                       ",")), status="timeout")

    def _disk(self) -> int:
        folder = temp_folder()
        if folder is None:
            return 0
        used = temp_files_bytes(folder)
        if used is not None and used > self.temp_limit:
            return self._stop(BudgetExceeded(
                tr("%(self)s: SQLite's temporary files passed their budget of %(mib)s (%(mib2)s; "
                   "SPYSCAN_SQLITE_TEMP_PER_BYTE / SPYSCAN_SQLITE_MIN_TEMP_BYTES); the query was stopped, the "
                   "records read before are kept", self=self.label, mib=mib(self.temp_limit), mib2=mib(used)),
                   status="truncated"), False)
        try:
            free = free_bytes(Path(folder))
        except OSError:
            return 0
        keep = reserve()
        if free < keep:
            return self._stop(DiskSpaceLow(low_message(f"{self.label} (SQLite temporary files)", free, keep)), True)
        return 0

    def _stop(self, reason: BaseException, lasting: bool) -> int:
        if not isinstance(reason, StopRequested):
            self.external = False
        self.reason = reason
        self.lasting = lasting
        return 1

    def raise_for(self, exc: BaseException) -> None:
        """Raise the recorded reason of an interrupted statement instead of SQLite's ``exc``."""
        if self.reason is not None:
            raise self.reason from exc
        reason = stop.requested()
        if reason is not None and "interrupt" in str(exc):  # ``interrupt()`` landed before any progress call
            raise StopRequested(self.label, reason) from exc


class GuardedCursor(sqlite3.Cursor):
    """A cursor whose interrupted statements raise the guard's reason (see the module docstring)."""

    def _guard(self) -> Any:
        return getattr(self.connection, "guard", None)

    def _translate(self, exc: sqlite3.Error) -> None:
        conn = self.connection
        guard = getattr(conn, "guard", None)
        if guard is not None:
            guard.raise_for(exc)
        refusal = getattr(conn, "take_refusal", None)
        if callable(refusal):
            refusal(exc)

    def execute(self, sql: str, parameters: Any = (), /) -> GuardedCursor:
        guard = self._guard()
        if guard is not None:
            guard.start_statement()
        try:
            super().execute(sql, parameters)
        except sqlite3.Error as exc:
            self._translate(exc)
            raise
        return self

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> GuardedCursor:
        guard = self._guard()
        if guard is not None:
            guard.start_statement()
        try:
            super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            self._translate(exc)
            raise
        return self

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as exc:
            self._translate(exc)
            raise

    def fetchone(self) -> Any:
        return self._guarded(super().fetchone)

    def fetchmany(self, size: int | None = None) -> list[Any]:
        result: list[Any] = self._guarded(super().fetchmany, self.arraysize if size is None else size)
        return result

    def fetchall(self) -> list[Any]:
        result: list[Any] = self._guarded(super().fetchall)
        return result

    def _guarded(self, call: Any, *args: Any) -> Any:
        try:
            return call(*args)
        except sqlite3.Error as exc:
            self._translate(exc)
            raise


_NO_ROW = object()


def stepped_rows(cursor: sqlite3.Cursor) -> Iterator[Any]:
    """The rows of an executed statement, stepped by SQLite's own C iterator: a Python ``__next__`` per row
    (``GuardedCursor``) costs more than reading the row. Errors are translated as ``GuardedCursor`` does,
    and every row read before one is given first."""
    step = functools.partial(sqlite3.Cursor.__next__, cursor)
    try:
        yield from iter(step, _NO_ROW)
    except sqlite3.Error as exc:
        if isinstance(cursor, GuardedCursor):
            cursor._translate(exc)
        raise
