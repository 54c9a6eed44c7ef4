"""Timeline rows and the CSV writer (UTC, sorted, guarded against formula injection; invisible and control
characters written as escapes)."""

from __future__ import annotations

import bisect
import csv
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple, Protocol

import msgspec

from spyscan.records.base import Record, iter_timestamps, plan_for
from spyscan.timeutil import iso
from spyscan.visible import visible

HEADER = ("timestamp_utc", "artifact", "event", "record_type", "summary", "source")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


class TimelineRow(msgspec.Struct, array_like=True, frozen=True, order=True):
    timestamp: str
    artifact: str
    event: str
    record_type: str
    summary: str
    source: str


def rows_for(artifact: str, record: Record) -> list[TimelineRow]:
    """Timeline rows of one record (summary and source are computed once, however many timestamps)."""
    rows: list[TimelineRow] = []
    shared: tuple[str, str, str] | None = None
    for _field, event, when in iter_timestamps(record):
        stamp = _iso(when)
        if stamp is None:
            continue
        if shared is None:
            shared = (record.record_type(), record.summary(), record.source.describe())
        rows.append(TimelineRow(timestamp=stamp, artifact=artifact, event=event, record_type=shared[0],
                                summary=shared[1], source=shared[2]))
    return rows


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def csv_cell(value: str) -> str:
    """One cell as ``csv.writer`` (QUOTE_MINIMAL, the default dialect) writes it."""
    if _NEEDS_QUOTES.search(value) is None:
        return value
    return '"' + value.replace('"', '""') + '"'


_FORMULA_FIRST = frozenset(_FORMULA_START)  # all one character


def guarded_cell(value: str) -> str:
    """``csv_cell(guard_cell(value))`` in one step: this runs twice for every record of a check."""
    if not value.isprintable():  # the fast exit of ``visible``, inlined
        value = visible(value)
    if value[:1] in _FORMULA_FIRST:
        value = "'" + value
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    if "," in value or "\n" in value or "\r" in value:
        return '"' + value + '"'
    return value


def record_lines(artifact: str, record: Record) -> list[str]:
    """The timeline CSV lines of one record: the lines ``render_lines(rows_for(...))`` gives."""
    return [line[_KEY:] for line in keyed_record_lines(artifact, record)]


def keyed_record_lines(artifact: str, record: Record) -> list[str]:
    """The timeline CSV lines of one record, each behind its ``stamp_key`` (as ``TimelineSpool`` keeps
    them): ``keyed_line`` of each line of ``record_lines``.

    Written directly rather than through row objects and ``csv.writer``: this runs for every
    timestamp of every record of a check. The cells that depend only on the artifact and the record
    class (artifact, event, record type) are rendered once per pair.
    """
    cls = type(record)
    middles = _MIDDLES.get((artifact, cls))
    if middles is None:
        middles = _middles(artifact, cls)
    lines: list[str] = []
    tail = ""
    last_when: datetime | None = None
    head = ""
    for when, middle in zip(plan_for(cls).timestamps(record), middles, strict=True):
        if not isinstance(when, datetime):
            continue
        if last_when is None or when != last_when:  # several timestamps of a record are often one instant
            stamp = _iso(when)
            last_when = when
            if stamp is None:
                head = ""
                continue
            head = stamp_key(stamp) + stamp
        if not head:
            continue
        if not tail:
            tail = f"{guarded_cell(record.summary())},{guarded_cell(record.source.describe())}\r\n"
        lines.append(head + middle + tail)
    return lines


_MIDDLES: dict[tuple[str, type[Record]], tuple[str, ...]] = {}


def _middles(artifact: str, cls: type[Record]) -> tuple[str, ...]:
    """The cells between the timestamp and the summary of each declared timestamp of ``cls``."""
    record_type = _static_cell(cls.record_type())
    middles = tuple(f"{_head(artifact)}{_static_cell(event)},{record_type}," for event in plan_for(cls).events)
    if len(_MIDDLES) >= 4096:
        _MIDDLES.clear()
    _MIDDLES[(artifact, cls)] = middles
    return middles


@functools.lru_cache(maxsize=1024)
def _head(artifact: str) -> str:
    """The cells between the timestamp and the event: the artifact (a job name), guarded."""
    return "," + guarded_cell(artifact) + ","


@functools.lru_cache(maxsize=1024)
def _static_cell(value: str) -> str:
    """Event names and record types: a few dozen values declared by the record classes."""
    return csv_cell(value)


_JSON = msgspec.json.Encoder()


def _iso(when: datetime) -> str | None:
    """ISO-8601 UTC with Z; a cheap path for the aware-UTC datetimes records carry.

    msgspec writes a UTC datetime exactly as ``timeutil.iso`` does (``Z``, microseconds only when
    not zero; tested), as in the records' JSON, about five times faster than ``isoformat``.
    """
    if when.tzinfo is UTC:
        return _JSON.encode(when)[1:-1].decode("ascii")
    return iso(when)


def guard_cell(value: str) -> str:
    """Neutralise what a cell from the evidence could do to its reader: invisible and control characters
    (bidi overrides, zero-width characters, line breaks...) are written as escapes (``visible``), and a
    cell starting with = + - @ (spreadsheet formulas) gets a leading quote."""
    value = visible(value)
    if value and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _LineSink:
    """A file-like target for ``csv.writer`` that keeps each written line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.write = self.lines.append


def render_lines(rows: Iterable[TimelineRow]) -> list[str]:
    """CSV lines of rows, each cell guarded (one ``writerow`` call writes exactly one line).

    Timestamps (ISO, starting with the year), event names and record types (declared by the record
    classes) never start like a formula; the artifact (a job name, read back from file names by
    ``recheck``), the summary and the source can, and are guarded.
    """
    sink = _LineSink()
    writer = csv.writer(sink, quoting=csv.QUOTE_MINIMAL)
    writer.writerows((row.timestamp, guard_cell(row.artifact), row.event, row.record_type,
                      guard_cell(row.summary), guard_cell(row.source)) for row in rows)
    return sink.lines


_FRAME = 2048  # lines per msgpack frame of a part file


_KEY = 26  # width of a line's sort key: its timestamp to the microsecond, "YYYY-MM-DDTHH:MM:SS.ffffff"
KEY_WIDTH = _KEY


def stamp_key(stamp: str) -> str:
    """A timestamp as a fixed-width text whose order is time order.

    Written stamps carry microseconds only when they are not zero, so as text ``...:05Z`` would sort
    after ``...:05.5Z``; the key writes every stamp to the microsecond. Text that is not one of
    spyscan's stamps keeps its own order (cut or padded to the same width).
    """
    if len(stamp) == 20 and stamp[19] == "Z":
        return stamp[:19] + ".000000"
    return stamp[:_KEY].ljust(_KEY)


def write_sorted_lines(lines: list[str], path: Path) -> None:
    """One chunk of a job's timeline as CSV lines sorted in time order, in length-prefixed msgpack frames.

    The lines are rendered in the worker processes, so the parent's merge only compares and copies
    them. Each line is stored behind its ``stamp_key`` (removed again by the merge): sorted as
    text, that is time order, and rows with an equal timestamp keep a stable, deterministic order.
    """
    _write_keyed([keyed_line(line) for line in lines], path)


def keyed_line(line: str) -> str:
    """``line`` behind its ``stamp_key``."""
    return stamp_key(line[:line.find(",")]) + line


def _write_keyed(keyed: list[str], path: Path) -> None:
    keyed.sort()
    encoder = msgspec.msgpack.Encoder()
    with path.open("wb") as fh:
        for start in range(0, len(keyed), _FRAME):
            data = encoder.encode(keyed[start:start + _FRAME])
            fh.write(len(data).to_bytes(4, "big"))
            fh.write(data)


class TimelineSpool:
    """Collects one job's timeline rows, spilling sorted chunks to disk so memory stays flat."""

    def __init__(self, folder: Path, prefix: str, chunk: int = 100_000) -> None:
        self.folder = folder
        self.prefix = prefix
        self.chunk = chunk
        self.lines: list[str] = []
        self.parts: list[Path] = []
        self.count = 0

    def add(self, artifact: str, record: Record) -> None:
        """The timeline lines of one record of ``artifact``: the job's own (its name is ``prefix``;
        the merge counts each part's lines in its job's lane of the chart)."""
        if artifact != self.prefix:
            raise ValueError(f"timeline rows of {artifact!r} given to the spool of {self.prefix!r}")
        lines = keyed_record_lines(artifact, record)
        if lines:
            self.lines += lines
            self.count += len(lines)
            if len(self.lines) >= self.chunk:
                self.flush()

    def flush(self) -> None:
        if not self.lines:
            return
        path = self.folder / f"{self.prefix}.{len(self.parts)}.part"
        _write_keyed(self.lines, path)
        self.parts.append(path)
        self.lines = []

    def close(self) -> list[Path]:
        self.flush()
        return self.parts


def read_frames(path: Path) -> Iterator[list[str]]:
    """The frames of one part file, in order: sorted lists of keyed CSV lines (see ``write_sorted_lines``)."""
    decoder = msgspec.msgpack.Decoder(list[str])
    with path.open("rb") as fh:
        while header := fh.read(4):
            frame = decoder.decode(fh.read(int.from_bytes(header, "big")))
            if frame:
                yield frame


def _frame_offsets(path: Path) -> list[tuple[int, int]]:
    """(offset, size) of each frame of a part file, found by skipping from header to header."""
    offsets = []
    with path.open("rb") as fh:
        while len(header := fh.read(4)) == 4:
            size = int.from_bytes(header, "big")
            offsets.append((fh.tell(), size))
            fh.seek(size, 1)
    return offsets


def _line_time(keyed: str) -> datetime | None:
    """The time of a keyed line as a reader of ``timeline.csv`` reads its first cell (None: unreadable)."""
    line = keyed[_KEY:]
    try:
        when = datetime.fromisoformat(line[:line.index(",")])
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def parts_time_range(parts: Sequence[Path]) -> tuple[datetime, datetime] | None:
    """The first and last readable time of the lines of sorted part files, reading only the frames at
    each end of each part (lines are sorted by their key, which is time order); None when no line has one."""
    decoder = msgspec.msgpack.Decoder(list[str])
    first: datetime | None = None
    last: datetime | None = None
    for path in parts:
        offsets = _frame_offsets(path)
        with path.open("rb") as fh:
            def frame(offset: int, size: int) -> list[str]:
                fh.seek(offset)
                return decoder.decode(fh.read(size))

            early = next((when for o in offsets for when in map(_line_time, frame(*o)) if when), None)
            if early is None:
                continue
            late = next(when for o in reversed(offsets) for when in map(_line_time, reversed(frame(*o))) if when)
        first = early if first is None else min(first, early)
        last = late if last is None else max(last, late)
    return (first, last) if first is not None and last is not None else None


def read_part(path: Path) -> Iterator[str]:
    """The keyed CSV lines of one part file, in order."""
    for frame in read_frames(path):
        yield from frame


class MergedBatch(NamedTuple):
    """A run of the merged timeline: ``lines`` (keyed, sorted) and the slice of each part it holds."""

    lines: list[str]
    slices: list[tuple[int, list[str]]]  # (index of the part, its keyed lines in this batch, sorted)


def merge_batches(parts: Sequence[Path]) -> Iterator[MergedBatch]:
    """The keyed lines of every part in time order, a batch at a time (memory: one frame per part).

    Each round takes, from every part, the lines up to the smallest last line of the parts' current
    frames: nothing still unread can sort before those, so the batch can be sorted on its own (one
    C-level sort of a few sorted runs) instead of comparing line by line in a heap. The lines come
    out exactly as a line-by-line merge gives them (lines that compare equal are equal).
    """
    readers = [read_frames(p) for p in parts]
    frames: dict[int, list[str]] = {}
    starts: dict[int, int] = {}
    for index, reader in enumerate(readers):
        frame = next(reader, None)
        if frame is not None:
            frames[index], starts[index] = frame, 0
    while frames:
        bound = min(frame[-1] for frame in frames.values())
        lines: list[str] = []
        slices: list[tuple[int, list[str]]] = []
        for index in list(frames):
            frame, start = frames[index], starts[index]
            cut = bisect.bisect_right(frame, bound, start)
            if cut > start:
                piece = frame if start == 0 and cut == len(frame) else frame[start:cut]
                slices.append((index, piece))
                lines += piece
            if cut < len(frame):
                starts[index] = cut
                continue
            following = next(readers[index], None)
            if following is None:
                del frames[index], starts[index]
            else:
                frames[index], starts[index] = following, 0
        if len(slices) > 1:
            lines.sort()
        yield MergedBatch(lines, slices)


def merge_parts(parts: list[Path]) -> Iterator[str]:
    """The lines of every part, in one stream in time order (each part is sorted; memory: one frame per
    part)."""
    for batch in merge_batches(parts):
        for line in batch.lines:
            yield line[_KEY:]


class BatchCounter(Protocol):
    """Sees every merged batch before it is written (the report's chart counting)."""

    def count_batch(self, batch: MergedBatch, lanes: Sequence[str]) -> None: ...


def write_merged(parts: Sequence[tuple[str, Path]], path: Path, counter: BatchCounter | None = None) -> int:
    """Merge the parts of the jobs (``(artifact, part)``; every line of a part is of that artifact)
    into ``path`` with the header; return the number of rows. ``counter`` sees each batch first."""
    lanes = [artifact for artifact, _ in parts]

    def blocks() -> Iterator[list[str]]:
        for batch in merge_batches([part for _, part in parts]):
            if counter is not None:
                counter.count_batch(batch, lanes)
            yield [line[_KEY:] for line in batch.lines]

    return _write_blocks(blocks(), path)


def write_csv_lines(lines: Iterable[str], path: Path) -> int:
    """Write the header and already rendered lines; return the number of rows."""
    return _write_blocks(([line] for line in lines), path)


def _write_blocks(blocks: Iterable[list[str]], path: Path) -> int:
    """The header, then each block of rendered lines in one write; the number of rows."""
    count = 0
    with path.open("w", newline="", encoding="utf-8", buffering=1 << 20) as fh:
        csv.writer(fh).writerow(HEADER)
        for block in blocks:
            fh.write("".join(block))
            count += len(block)
    return count


def write_csv(rows: Iterable[TimelineRow], path: Path) -> int:
    """Write typed rows (already in the wanted order) as a guarded CSV file."""
    return write_csv_lines(render_lines(rows), path)
