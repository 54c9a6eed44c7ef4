"""Bounded, strict text decoding: bad bytes are escaped and counted, never silently dropped."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

DEFAULT_LINE_LIMIT = 1 << 20  # longer lines are cut (and counted)


class DecodedText(msgspec.Struct):
    text: str
    bad_bytes: int = 0  # number of undecodable byte sequences escaped as \\xNN
    nul_bytes: int = 0


def decode_bytes(data: bytes) -> DecodedText:
    """Decode UTF-8 strictly; invalid sequences are kept as ``\\xNN`` escapes and counted."""
    try:
        text = data.decode("utf-8")
        bad = 0
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="backslashreplace")
        bad = _count_bad(data)
    nul = text.count("\x00")
    if nul:
        text = text.replace("\x00", "\\x00")
    return DecodedText(text=text, bad_bytes=bad, nul_bytes=nul)


def _count_bad(data: bytes) -> int:
    count = 0
    start = 0
    while True:
        try:
            data[start:].decode("utf-8")
            return count
        except UnicodeDecodeError as exc:
            count += 1
            start += exc.end


def iter_lines(data: bytes, limit: int = DEFAULT_LINE_LIMIT) -> Iterator[tuple[int, str, int]]:
    """Yield ``(line_number, text, bad_bytes)`` for each line; over-long lines are truncated."""
    for number, raw in enumerate(data.splitlines(), start=1):
        chunk = raw[:limit]
        decoded = decode_bytes(chunk)
        bad = decoded.bad_bytes + decoded.nul_bytes + (1 if len(raw) > limit else 0)
        yield number, decoded.text, bad
