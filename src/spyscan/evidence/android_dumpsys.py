"""``dumpsys`` output split into per-service sections, shared by androidqf and bugreport inputs.

An androidqf ``dumpsys.txt`` and a bugreport's dumpstate both hold blocks that start with a line
``DUMP OF SERVICE <name>:`` (bugreports also write ``DUMP OF SERVICE CRITICAL <name>:`` and
``DUMP OF SERVICE HIGH <name>:``) and usually end with a ``--------- 0.004s was the duration of
dumpsys <name>, ending at: ...`` line.

The text is never held in memory as a whole: ``split_dumpsys_file`` reads the file once, streaming,
and keeps for each section only where its text is (byte offset and length in the file, number of
its first line) and its damage counts. ``DumpsysSection.lines()`` then streams the section's lines
from the file again (re-opened by path, so forked artifact workers never share a file offset),
with the same bounded, strict decoding (``spyscan.evidence.textio``).

An evidence kind that offers dumpsys output implements ``DumpsysSource``: it splits the file once
and caches the result; the ``dumpsys_*`` artifacts only ever see sections.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple, Protocol, runtime_checkable

from spyscan.errors import ArtifactNotFound
from spyscan.evidence.textio import DEFAULT_LINE_LIMIT, decode_bytes
from spyscan.texts import tr

_HEADER = re.compile(r"^DUMP OF SERVICE (?:(?:CRITICAL|HIGH|NORMAL) )?(?P<name>[^\s:]+):\s*$")
_DURATION = re.compile(r"^-+ [\d.]+s was the duration of dumpsys (?P<name>\S+?),")
_RULE = re.compile(r"^-{10,}\s*$")
_EOL = re.compile(rb"\r\n|\r|\n")  # the line breaks of bytes.splitlines()
_CHUNK = 1 << 20


class RawLine(NamedTuple):
    """One line of a file: where its content is, and the content (cut at the line limit)."""

    start: int  # byte offset of the line's first byte
    end: int  # byte offset just past its content (before the line break)
    head: bytes  # the content, at most ``limit`` bytes
    long: bool  # the content was longer than ``limit`` (and was cut)


_new = tuple.__new__  # builds a RawLine without the Python-level __new__ of NamedTuple (hot loop)


def iter_raw_lines(fh: BinaryIO, start: int = 0, stop: int | None = None,
                   limit: int = DEFAULT_LINE_LIMIT) -> Iterator[RawLine]:
    """Lines of ``fh`` between byte offsets ``start`` and ``stop``, split like ``bytes.splitlines``.

    Memory stays bounded by ``limit`` plus one read chunk whatever the line lengths.
    """
    fh.seek(start)
    remaining = None if stop is None else max(0, stop - start)
    pos = start  # file offset of buf[0]
    line_start = start
    buf = b""
    head: bytes | None = None  # the head of an over-long line whose rest is being skipped
    eof = False
    while not eof:
        want = _CHUNK if remaining is None else min(_CHUNK, remaining)
        data = fh.read(want) if want else b""
        if remaining is not None:
            remaining -= len(data)
        eof = not data
        buf += data
        used = 0
        if head is None and b"\r" not in buf:  # the common case: "\n" only, split in C
            cut = buf.rfind(b"\n") + 1
            if cut:
                for content in buf[:cut - 1].split(b"\n"):
                    end = line_start + len(content)
                    if len(content) > limit:
                        yield _new(RawLine, (line_start, end, content[:limit], True))
                    else:
                        yield _new(RawLine, (line_start, end, content, False))
                    line_start = end + 1
                used = cut
        else:
            for match in _EOL.finditer(buf):
                if not eof and match.end() == len(buf) and match.group() == b"\r":
                    break  # may be the first half of a \r\n cut by the chunk
                if head is not None:
                    yield RawLine(line_start, pos + match.start(), head, True)
                    head = None
                else:
                    content = buf[used:match.start()]
                    yield RawLine(line_start, pos + match.start(), content[:limit], len(content) > limit)
                used = match.end()
                line_start = pos + used
        if eof:
            if head is not None or used < len(buf):
                content = buf[used:]
                if head is None:
                    head, long = content[:limit], len(content) > limit
                else:
                    long = True
                yield RawLine(line_start, pos + len(buf), head, long)
            return
        buf, pos = buf[used:], pos + used
        if head is None and len(buf) - buf.endswith(b"\r") > limit:
            head = buf[:limit]
        if head is not None:  # skip the rest of the over-long line, keep a trailing \r
            keep = 1 if buf.endswith(b"\r") else 0
            pos += len(buf) - keep
            buf = buf[len(buf) - keep:]
    return


def _decode(line: RawLine) -> tuple[str, int]:
    """The line's text and its damage: escaped bytes, NUL bytes, 1 when cut (as ``textio.iter_lines``)."""
    head = line.head
    if head.isascii() and b"\x00" not in head:  # the common case, same result as decode_bytes
        return head.decode("ascii"), 1 if line.long else 0
    decoded = decode_bytes(head)
    return decoded.text, decoded.bad_bytes + decoded.nul_bytes + (1 if line.long else 0)


@dataclass(frozen=True)
class SectionSpan:
    """Where a section's text is: ``length`` bytes from ``offset`` in ``source`` (a file path or bytes)."""

    source: Path | bytes
    offset: int
    length: int
    chars: int  # length of the decoded text (lines joined by "\n")

    def open(self) -> BinaryIO:
        if isinstance(self.source, bytes):
            return io.BytesIO(self.source)
        return self.source.open("rb")


class DumpsysSection:
    """One ``dumpsys <name>`` block: where its text is in the file, and its damage counts.

    Built by the splitters (text read back from the file on demand) or from a text held in memory
    (``text=``, e.g. a standalone ``dumpsys appops`` output).
    """

    __slots__ = ("_span", "_text", "bad_bytes", "cut", "file", "first_line", "name")

    def __init__(self, name: str, text: str | None = None, first_line: int = 1, file: str = "dumpsys.txt",
                 bad_bytes: int = 0, cut: bool = False, *, span: SectionSpan | None = None) -> None:
        if (text is None) == (span is None):
            raise ValueError("a dumpsys section needs either its text or its span in a file")
        self.name = name  # service name: "package", "appops", "accessibility", ...
        self.first_line = first_line  # line number (1-based, in ``file``) of the section's first line
        self.file = file  # evidence-relative file the section comes from (for source references)
        self.bad_bytes = bad_bytes  # undecodable bytes, NUL bytes and over-long lines escaped or cut
        self.cut = cut  # the file ends inside this section without a final line break (truncated?)
        self._text = text
        self._span = span

    def __repr__(self) -> str:
        return f"DumpsysSection({self.name!r}, file={self.file!r}, first_line={self.first_line})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DumpsysSection):
            return NotImplemented
        return ((self.name, self.first_line, self.file, self.bad_bytes, self.cut, self._text, self._span)
                == (other.name, other.first_line, other.file, other.bad_bytes, other.cut, other._text, other._span))

    def __hash__(self) -> int:
        return hash((self.name, self.first_line, self.file))

    @property
    def text(self) -> str:
        """The whole text of the section (read from the file on every use: prefer ``lines()``)."""
        if self._text is not None:
            return self._text
        return "\n".join(line for _, line in self.lines())

    @property
    def size(self) -> int:
        """Length of ``text`` in characters, without reading it."""
        return len(self._text) if self._text is not None else self._span.chars if self._span else 0

    @property
    def blank(self) -> bool:
        """The section holds no visible text."""
        if self._text is not None:
            return not self._text.strip()
        return self.size == 0  # a span never ends with a blank line: empty or not blank

    def lines(self) -> Iterator[tuple[int, str]]:
        """``(line number in file, line)`` for every line of the section (none for an empty section)."""
        if self._text is not None:
            if self._text:
                for offset, line in enumerate(self._text.split("\n")):
                    yield self.first_line + offset, line
            return
        span = self._span
        if span is None or not span.length:
            return
        with span.open() as fh:
            for number, raw in enumerate(iter_raw_lines(fh, span.offset, span.offset + span.length),
                                         start=self.first_line):
                yield number, _decode(raw)[0]

    def contains(self, needle: str) -> bool:
        """``needle`` (without a line break) occurs in one of the section's lines."""
        span = self._span
        if span is not None and needle.isascii() and "\\" not in needle and not _in_span(span, needle.encode()):
            return False  # the decoded lines only escape non-ASCII bytes and NULs: no byte match, no match
        return any(needle in line for _, line in self.lines())


def _in_span(span: SectionSpan, needle: bytes) -> bool:
    """The bytes ``needle`` occur in the span (read in chunks that overlap by ``len(needle) - 1``)."""
    overlap = max(0, len(needle) - 1)
    with span.open() as fh:
        fh.seek(span.offset)
        remaining = span.length
        tail = b""
        while remaining > 0:
            data = fh.read(min(_CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            window = tail + data
            if needle in window:
                return True
            tail = window[-overlap:] if overlap else b""
    return False


@runtime_checkable
class DumpsysSource(Protocol):
    """An evidence that contains dumpsys output (androidqf ``dumpsys.txt``, bugreport dumpstate)."""

    def dumpsys_sections(self) -> dict[str, DumpsysSection]:
        """Sections by service name (read and split once, then cached by the evidence)."""
        ...


class _OpenSection:
    """A section being read by the splitter."""

    def __init__(self, name: str, first_line: int) -> None:
        self.name = name
        self.first_line = first_line
        self.offset = -1  # byte offset of its first line
        self.end = -1  # byte offset past the content of its last kept line
        self.seen = 0  # lines seen, and their characters joined by "\n"
        self.seen_chars = 0
        self.kept_chars = 0  # characters of the lines kept (trailing blank and "-----" lines are not)
        self.bad = 0

    def section(self, source: Path | bytes, file: str, cut: bool) -> DumpsysSection:
        length = self.end - self.offset if self.end >= 0 else 0
        span = SectionSpan(source, max(self.offset, 0), length, self.kept_chars if length else 0)
        return DumpsysSection(self.name, first_line=self.first_line, file=file, bad_bytes=self.bad, cut=cut,
                              span=span)


LineObserver = Callable[[int, str], None]


def _split(raw: Iterable[RawLine], source: Path | bytes, file: str, cut_at_end: bool,
           observer: LineObserver | None = None) -> dict[str, DumpsysSection]:
    sections: dict[str, DumpsysSection] = {}
    current: _OpenSection | None = None

    def close(at_end: bool = False) -> None:
        if current is None:
            return
        section = current.section(source, file, at_end and cut_at_end)
        previous = sections.get(current.name)
        if previous is None or section.size > previous.size:
            sections[current.name] = section

    # one pass over every line of a file of millions of lines: the common case (ASCII, inside a
    # section) is handled inline; ``_decode`` and ``_OpenSection.add`` are the reference behaviour
    rule = _RULE.match
    for number, line in enumerate(raw, start=1):
        head = line.head
        if head.isascii() and b"\x00" not in head:
            text, bad = head.decode("ascii"), 1 if line.long else 0
        else:
            text, bad = _decode(line)
        if observer is not None:
            observer(number, text)
        first = text[:1]
        if first == "D" and text.startswith("DUMP OF") and (header := _HEADER.match(text)):
            close()
            current = _OpenSection(header.group("name"), number + 1)
        elif current is not None:
            if first == "-" and _DURATION.match(text):
                close()
                current = None
                continue
            if current.offset < 0:
                current.offset = line.start
            current.seen_chars += len(text) + (1 if current.seen else 0)
            current.seen += 1
            current.bad += bad
            if (first == "-" and rule(text)) or not text.strip():
                continue
            current.end, current.kept_chars = line.end, current.seen_chars
    close(at_end=True)
    return sections


def split_dumpsys_file(path: Path, file: str, observer: LineObserver | None = None) -> dict[str, DumpsysSection]:
    """Split the dumpsys file at ``path`` in one streaming pass (``file``: its evidence-relative name).

    ``observer`` is called with ``(line number, text)`` for every line of the file. When a service
    appears more than once (bugreports dump some services at several priorities), the longest block
    is kept. Sections read their lines back from ``path``, which must stay in place.
    """
    with path.open("rb") as fh:
        fh.seek(0, io.SEEK_END)
        size = fh.tell()
        cut_at_end = False
        if size:
            fh.seek(size - 1)
            cut_at_end = fh.read(1) not in (b"\n", b"\r")
        return _split(iter_raw_lines(fh), path, file, cut_at_end, observer)


def split_dumpsys_bytes(data: bytes, file: str) -> dict[str, DumpsysSection]:
    """Split a dumpsys text held in memory (the sections read their lines from ``data``)."""
    cut_at_end = bool(data) and not data.endswith((b"\n", b"\r"))
    return _split(iter_raw_lines(io.BytesIO(data)), data, file, cut_at_end)


def section_from_text(name: str, text: str, file: str = "dumpsys.txt", first_line: int = 1) -> DumpsysSection:
    """A section built from the text of one service (e.g. a standalone ``dumpsys appops`` output)."""
    return DumpsysSection(name=name, text=text, first_line=first_line, file=file)


class WarningLog(Protocol):
    def warn(self, message: str) -> None: ...


def warn_damage(section: DumpsysSection, log: WarningLog) -> None:
    """One warning per damage of ``section``: empty, escaped or cut bytes, file cut inside it."""
    where = f"{section.file}: dumpsys {section.name} (line {section.first_line})"
    if section.blank:
        log.warn(tr('%(where)s: the section is empty', where=where))
    if section.bad_bytes:
        log.warn(tr('%(where)s: %(bad_bytes)s undecodable byte sequence(s), NUL byte(s) or over-long line(s) escaped '
                    'or cut', where=where, bad_bytes=section.bad_bytes))
    if section.cut:
        log.warn(tr('%(where)s: the file ends inside this section without a final line break; its last line may be '
                    'cut (truncated file?)', where=where))


def require_section(evidence: object, *names: str, log: WarningLog | None = None) -> DumpsysSection:
    """The first present section among ``names``; ArtifactNotFound when the evidence has none.

    With ``log``, the section's damage (see ``warn_damage``) is reported as warnings.
    """
    if not isinstance(evidence, DumpsysSource):
        raise ArtifactNotFound(tr('this input offers no dumpsys output'))
    sections = evidence.dumpsys_sections()
    for name in names:
        if name in sections:
            if log is not None:
                warn_damage(sections[name], log)
            return sections[name]
    if not sections:
        raise ArtifactNotFound(tr('no dumpsys output in this input'))
    raise ArtifactNotFound(tr("no 'dumpsys %(names)s' section in the dumpsys output", names=names[0]))
