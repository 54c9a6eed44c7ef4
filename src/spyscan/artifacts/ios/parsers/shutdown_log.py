"""``shutdown.log`` (``/private/var/db/diagnostics/shutdown.log`` and sysdiagnose copies).

At every shutdown iOS lists the processes ("clients") that still hold the shutdown up:

    remaining client pid: 312 (/usr/libexec/somed)
    After 0.61s, these clients are still here:
            remaining client pid: 312 (/usr/libexec/somed)
    SIGTERM: [1700000000] All processes exited

A ``SIGTERM`` line (with a bracketed UNIX time, or ``... at <UNIX time>`` in other builds) closes the
block of one reboot. Each ``After N.NNs`` line is one "still here" notice: the clients listed under it
were still running after that many seconds. Lines before the first notice are the clients still running
when the shutdown started. ``parse_shutdown_log`` turns the text into one ``ParsedReboot`` per block; a
trailing block without its SIGTERM line (log cut or rewritten) is kept with ``complete=False``.

From iOS 26 a client path may end with a ``/<UUID>`` component (``/usr/sbin/filecoordinationd/<UUID>``,
mvt-project/mvt#830, EC-DIGIT-CSIRC/sysdiagnose PR #227): the component is removed from ``path`` (the
written text stays in ``raw_path``) so that path rules and indicators see the executable's path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec

from spyscan.values import to_int

_CLIENT = re.compile(r"remaining client pid:\s*(-?\d+)\s*\((.*)\)\s*$", re.IGNORECASE)
_CLIENT_NO_PATH = re.compile(r"remaining client pid:\s*(-?\d+)\s*$", re.IGNORECASE)
_AFTER = re.compile(r"After\s+([0-9]+(?:\.[0-9]+)?)\s*s\b.*still here", re.IGNORECASE)
_SIGTERM = re.compile(r"sigterm", re.IGNORECASE)
_TIME_BRACKET = re.compile(r"\[\s*(\d{9,}(?:\.\d+)?)\s*\]")
_TIME_AT = re.compile(r"\bat\s+(\d{9,}(?:\.\d+)?)\b")
_UUID_TAIL = re.compile(r"/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/*$")


def strip_uuid_tail(path: str) -> str:
    """The path without the trailing ``/<UUID>`` component iOS 26 appends to client paths."""
    return _UUID_TAIL.sub("", path)


class ParsedClient(msgspec.Struct, frozen=True):
    pid: int | None
    path: str  # without a trailing /<UUID> component (iOS 26)
    first_line: int
    delayed: int = 0  # in how many "still here" notices it was listed
    waited: float | None = None  # the longest delay it was still running after
    raw_path: str | None = None  # the path as written, when a /<UUID> component was removed


class ParsedReboot(msgspec.Struct, frozen=True):
    time_raw: str | None  # the UNIX time as written on the SIGTERM line
    sigterm_line: str | None
    first_line: int
    last_line: int
    clients: list[ParsedClient]
    delays: list[float]  # each "After N.NNs ... still here" notice, in order
    complete: bool

    @property
    def notices(self) -> int:
        """How many "these clients are still here" notices came before the SIGTERM line."""
        return len(self.delays)

    @property
    def waited(self) -> float | None:
        return max(self.delays) if self.delays else None

    @property
    def delayed_clients(self) -> list[ParsedClient]:
        return [c for c in self.clients if c.delayed]


class _Block:
    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.clients: dict[tuple[int | None, str], ParsedClient] = {}
        self.delays: list[float] = []

    def add_client(self, pid: int | None, written: str, line: int) -> None:
        path = strip_uuid_tail(written)
        key = (pid, path)
        current = self.delays[-1] if self.delays else None
        known = self.clients.get(key)
        if known is None:
            self.clients[key] = ParsedClient(pid=pid, path=path, first_line=line,
                                             delayed=1 if current is not None else 0, waited=current,
                                             raw_path=written if written != path else None)
        elif current is not None:
            waited = current if known.waited is None else max(known.waited, current)
            self.clients[key] = msgspec.structs.replace(known, delayed=known.delayed + 1, waited=waited)

    def empty(self) -> bool:
        return not self.clients and not self.delays

    def close(self, last_line: int, sigterm: str | None) -> ParsedReboot:
        time_raw = None
        if sigterm is not None:
            found = _TIME_BRACKET.search(sigterm) or _TIME_AT.search(sigterm)
            time_raw = found.group(1) if found else None
        return ParsedReboot(time_raw=time_raw, sigterm_line=sigterm, first_line=self.first_line,
                            last_line=last_line, clients=list(self.clients.values()), delays=list(self.delays),
                            complete=sigterm is not None)


def parse_shutdown_log(lines: Iterable[tuple[int, str]]) -> list[ParsedReboot]:
    """Parse ``(line_number, text)`` pairs into reboots, oldest first (the order of the log)."""
    reboots: list[ParsedReboot] = []
    block: _Block | None = None
    last = 0
    for number, raw in lines:
        last = number
        text = raw.strip()
        if not text:
            continue
        if block is None:
            block = _Block(number)
        client = _CLIENT.search(text)
        if client is not None:
            block.add_client(to_int(client.group(1)), client.group(2).strip(), number)
            continue
        bare = _CLIENT_NO_PATH.search(text)
        if bare is not None:
            block.add_client(to_int(bare.group(1)), "", number)
            continue
        after = _AFTER.search(text)
        if after is not None:
            block.delays.append(float(after.group(1)))
            continue
        if _SIGTERM.search(text):
            reboots.append(block.close(number, text))
            block = None
    if block is not None and not block.empty():
        reboots.append(block.close(last, None))
    return reboots


def parse_shutdown_text(text: str) -> list[ParsedReboot]:
    return parse_shutdown_log(enumerate(text.splitlines(), start=1))
