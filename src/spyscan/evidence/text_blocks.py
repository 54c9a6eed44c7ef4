"""Large text files as blocks of whole lines: bounded memory, strict decoding, one pass in C.

Decoding and searching a log line by line costs a Python call per line; here the bytes are grouped into
blocks (about ``TEXT_BLOCK`` bytes) that always end at a line end, each decoded once with
``textio.decode_bytes`` (bad bytes escaped as ``\\xNN`` and counted, never dropped). A line longer than
``line_limit`` is cut at the limit (counted in ``cut_lines``) and the rest of it skipped, so a file with
no line end never makes the reader hold more than one block plus one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import msgspec

from spyscan.evidence.textio import decode_bytes

TEXT_BLOCK = 4 << 20


class TextBlock(msgspec.Struct, frozen=True):
    first_line: int  # number of the block's first line (1-based)
    text: str  # whole lines, each ending with "\n" (the file's last line may lack it)
    bad_bytes: int = 0  # undecodable bytes and NUL bytes, escaped
    cut_lines: int = 0  # lines longer than the limit, cut


def line_blocks(chunks: Iterable[bytes], line_limit: int) -> Iterator[TextBlock]:
    """Regroup raw chunks into decoded blocks of whole lines (see the module documentation)."""
    line = 1
    pending = b""
    skipping = False  # inside a line already cut: drop bytes up to its end
    for chunk in chunks:
        if skipping:
            end = chunk.find(b"\n")
            if end < 0:
                continue
            chunk = chunk[end + 1:]
            skipping = False
        data = pending + chunk if pending else chunk
        last = data.rfind(b"\n")
        if last < 0:
            pending = data
            if len(pending) > line_limit:
                yield _block(line, pending[:line_limit] + b"\n", cut=1)
                line += 1
                pending = b""
                skipping = True
            continue
        whole, pending = data[: last + 1], data[last + 1:]
        cut = 0
        if _has_long_line(whole, line_limit):
            whole, cut = _cut_lines(whole, line_limit)
        yield _block(line, whole, cut)
        line += whole.count(b"\n")
        if len(pending) > line_limit:
            yield _block(line, pending[:line_limit] + b"\n", cut=1)
            line += 1
            pending = b""
            skipping = True
    if pending:
        yield _block(line, pending, cut=0)


def _has_long_line(data: bytes, limit: int) -> bool:
    """Does a line of ``data`` (whole lines) exceed ``limit``? A few searches per ``limit`` bytes, in C."""
    start, size = 0, len(data)
    while start < size:
        last = data.rfind(b"\n", start, start + limit + 1)  # every line up to there is short enough
        if last < 0:
            return size - start > limit
        start = last + 1
    return False


def _cut_lines(data: bytes, limit: int) -> tuple[bytes, int]:
    lines = data.split(b"\n")
    cut = sum(1 for item in lines if len(item) > limit)
    return b"\n".join(item[:limit] for item in lines), cut


def _block(first_line: int, data: bytes, cut: int) -> TextBlock:
    decoded = decode_bytes(data)
    return TextBlock(first_line=first_line, text=decoded.text, bad_bytes=decoded.bad_bytes + decoded.nul_bytes,
                     cut_lines=cut)
