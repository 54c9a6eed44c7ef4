"""JSON and newline-delimited JSON (NDJSON) from the evidence, read within bounds.

``decode_json(data)`` decodes one document with ``msgspec``; it raises ``JsonError`` (a ``ValueError``
with a one-line reason) for what is not JSON, and ``JsonLimitError`` for a document nested deeper than
``msgspec`` reads: it stops at about a thousand levels (the interpreter's recursion limit, less the stack
in use) with ``RecursionError``, which used to escape every caller that caught only ``DecodeError``. Real
files nest under 10 levels; ``msgspec`` never overflows the C stack.

``ndjson_values(stream, notes)`` reads one JSON value per line from a binary stream in 1 MiB blocks,
never holding more than one line of at most ``MAX_LINE`` bytes: a longer line is skipped without being
read into memory, and counted, as are lines that are not JSON and values nested too deep. A caller
reports ``notes`` once per file: skipped long or deep lines are a budget (the artifact is ``truncated``),
lines that are not JSON a warning.

``block_lines`` is the bounded line splitter underneath (also used for text files).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import msgspec

from spyscan.errors import BudgetExceeded
from spyscan.texts import tr

MAX_LINE = 1 << 20  # bytes of one NDJSON line (real lines are under a few KiB)
TOO_DEEP = "JSON nested too deep to read (more than about 1,000 levels)"
_BLOCK = 1 << 20


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class JsonError(ValueError):
    """Not JSON (one-line message)."""


class JsonLimitError(JsonError):
    """JSON past a bound of this reader (nesting)."""


def decode_json(data: bytes) -> Any:
    """One JSON document; ``JsonError`` when it is not one, ``JsonLimitError`` when it nests too deep."""
    try:
        return msgspec.json.decode(data)
    except msgspec.DecodeError as exc:  # ValidationError (an integer past 64 bits) is one too
        raise JsonError(tr('not valid JSON (%(error)s)', error=exc)) from exc
    except RecursionError as exc:  # msgspec's own guard: about a thousand levels
        raise JsonLimitError(TOO_DEEP) from exc


def decode_document(data: bytes, name: str) -> Any:
    """A whole JSON file that an artifact needs: ``ValueError`` naming it when it is not JSON,
    ``BudgetExceeded`` (``truncated``) when it nests too deep to read."""
    try:
        return decode_json(data)
    except JsonLimitError as exc:
        raise BudgetExceeded(tr('%(name)s: %(error)s; not read', name=name, error=exc)) from exc
    except JsonError as exc:
        raise ValueError(f"{name} is not valid JSON: {exc}") from exc


def block_lines(fh: Readable, update: Callable[[bytes], object], limit: int) -> Iterator[tuple[bytes, bool]]:
    """Lines of a binary stream (no end of line), read in 1 MiB blocks; each cut at ``limit`` bytes (flag True).

    Every byte read goes through ``update`` (a custody hash) once; an over-long line is given once, cut,
    and the rest of it is skipped without being kept in memory.
    """
    pending = b""
    skipping = False  # inside an over-long line whose first ``limit`` bytes were already given
    while block := fh.read(_BLOCK):
        update(block)
        parts = block.split(b"\n")
        tail = parts.pop()
        for part in parts:
            if skipping:
                skipping = False  # this part ends the over-long line
                continue
            line = pending + part if pending else part
            pending = b""
            if len(line) > limit:
                yield line[:limit], True
            else:
                yield line.rstrip(b"\r"), False
        if skipping:
            continue
        pending = pending + tail if pending else tail
        if len(pending) > limit:
            yield pending[:limit], True
            pending, skipping = b"", True
    if pending and not skipping:
        yield pending.rstrip(b"\r"), False


@dataclass
class LineNotes:
    """What was skipped while reading NDJSON lines (for the artifact's warnings and status)."""

    values: int = 0  # lines read as JSON values
    bad: int = 0  # lines that are not JSON
    long: int = 0  # lines over the line limit, skipped
    deep: int = 0  # values nested too deep to read, skipped
    size: int = 0  # bytes read
    last: bytes = b""  # the last byte read (a file should end with a line break)

    @property
    def limited(self) -> bool:
        return bool(self.long or self.deep)

    def limit_message(self, what: str, max_line: int = MAX_LINE) -> str:
        parts = []
        if self.long:
            parts.append(f"{self.long} line(s) longer than {max_line} bytes")
        if self.deep:
            parts.append(f"{self.deep} value(s) nested too deep to read (over about 1,000 levels)")
        return f"{what}: {' and '.join(parts)} skipped, not read"


def ndjson_values(fh: Readable, notes: LineNotes, update: Callable[[bytes], object] = lambda _: None,
                  max_line: int = MAX_LINE) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` of each JSON line of ``fh`` (blank lines skipped); see the module doc."""

    def count(block: bytes) -> None:
        notes.size += len(block)
        notes.last = block[-1:]
        update(block)

    for number, (raw, cut) in enumerate(block_lines(fh, count, max_line), start=1):
        if cut:
            notes.long += 1
            continue
        if not raw.strip():
            continue
        try:
            value = decode_json(raw)
        except JsonLimitError:
            notes.deep += 1
            continue
        except JsonError:
            notes.bad += 1
            continue
        notes.values += 1
        yield number, value
