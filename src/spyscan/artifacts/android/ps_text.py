"""``ps`` text as Android prints it (toybox ``ps -A``, ``ps -A -T -Z -O ...``; toolbox ``ps -P`` before Android 8).

The first line names the columns; the last column (``NAME``, ``CMD``, ``ARGS``...) is the name and may
hold spaces, so a row is split into at most as many fields as the header has. ``ps -A`` names a
process by its ``argv[0]`` (``NAME``: an app's package name in full, a daemon's path or name); with
``-T`` every thread is a row and ``CMD`` is the thread's name (``/proc/<tid>/stat``, 15 characters at
most), so the main thread (``TID`` = ``PID``) names the process only as its kernel name. For apps that
name is what Android set it to last: the process name's last 15 characters when it is longer, dotted or
not (``ActivityThread.handleBindApplication`` calls ``Process.setArgV0(processName)``, and AOSP
frameworks/base/core/jni/AndroidRuntime.cpp ``AndroidRuntime::setArgv0`` names the thread
``argv0 + len - 15``): ``com.example.spyware`` shows as ``example.spyware``, and
``com.ttsapp.catchcheating:remote`` as ``cheating:remote``, with no dot left.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spyscan.values import to_int

NAME_COLUMNS = ("NAME", "CMD", "ARGS", "CMDLINE", "COMMAND", "COMM")
THREAD_NAME_LIMIT = 15  # TASK_COMM_LEN - 1


@dataclass
class PsRow:
    line: int
    columns: dict[str, str]
    name: str

    def number(self, column: str) -> int | None:
        value = self.columns.get(column)
        return to_int(value) if value is not None else None


@dataclass
class PsTable:
    header: list[str] = field(default_factory=list)
    rows: list[PsRow] = field(default_factory=list)
    skipped: int = 0  # lines that are no row of the table
    assumed: bool = False  # no header line: the columns of Android's ``ps -A`` were assumed

    @property
    def has_threads(self) -> bool:
        return "TID" in self.header


DEFAULT_HEADER = ("USER", "PID", "PPID", "VSZ", "RSS", "WCHAN", "ADDR", "S", "NAME")  # Android's ps -A


def parse_ps(lines: Iterable[tuple[int, str]], assume_header: bool = True) -> PsTable:
    """The table of ``ps`` output; lines before the header and lines that are no rows are counted."""
    table = PsTable()
    for number, line in lines:
        fields = line.split()
        if not fields:
            continue
        if not table.header:
            upper = [f.upper() for f in fields]
            if "PID" in upper:
                table.header = upper
                continue
            if not assume_header:
                table.skipped += 1
                continue
            table.header, table.assumed = list(DEFAULT_HEADER), True
        width = len(table.header)
        parts = line.split(None, width - 1)
        if table.assumed and (len(parts) < width or to_int(parts[1]) is None):
            table.skipped += 1
            continue
        # the name is the last column (it may hold spaces); a short row keeps its last field as the name
        table.rows.append(PsRow(line=number, columns=dict(zip(table.header, parts, strict=False)),
                                name=parts[-1].strip()))
    return table


@dataclass
class PsProcess:
    """One process of a table: its row (the main thread's, with threads) and the other threads' names."""

    row: PsRow
    threads: list[str]


def processes(table: PsTable) -> Iterator[PsProcess]:
    """The processes of a table, each with the distinct names of its other threads (``-T`` tables)."""
    if not table.has_threads:
        for row in table.rows:
            yield PsProcess(row, [])
        return
    mains: dict[int, PsProcess] = {}
    order: list[int] = []
    orphans: dict[int, list[PsRow]] = {}
    for row in table.rows:
        pid, tid = row.number("PID"), row.number("TID")
        if pid is None:
            continue
        if tid == pid:
            if pid not in mains:
                mains[pid] = PsProcess(row, [])
                order.append(pid)
            continue
        orphans.setdefault(pid, []).append(row)
    for pid, rows in orphans.items():
        if pid not in mains:  # the main thread's row is missing (exited while ps ran): the first thread stands in
            mains[pid] = PsProcess(rows[0], [])
            order.append(pid)
            rows = rows[1:]
        names = mains[pid].threads
        for row in rows:
            if row.name and row.name != mains[pid].row.name and row.name not in names:
                names.append(row.name)
    for pid in order:
        yield mains[pid]


def tail_of(name: str, package: str) -> bool:
    """``name`` is the kernel name Android gives a process named ``package``-something (its last 15 chars)."""
    return len(name) == THREAD_NAME_LIMIT and len(package) > THREAD_NAME_LIMIT and package.endswith(name)


def full_app_name(name: str, packages: Iterable[str]) -> str | None:
    """The full process name behind a 15-character kernel name, when exactly one installed package gives it.

    ``name`` may be the tail of ``<package>`` or of ``<package>:<process>`` (the part after ``:`` is kept); a
    tail need not hold a dot (``cheating:remote``): the package it is completed from is the dotted name.
    """
    if len(name) != THREAD_NAME_LIMIT:
        return None
    head, sep, suffix = name.partition(":")
    found = set()
    for package in packages:
        if sep:
            full = f"{package}:{suffix}"
            if len(full) > THREAD_NAME_LIMIT and full.endswith(name) and package.endswith(head):
                found.add(full)
        elif tail_of(name, package):
            found.add(package)
    return found.pop() if len(found) == 1 else None
