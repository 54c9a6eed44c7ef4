"""Bounded, strict text decoding: bad bytes are escaped and counted, never silently dropped.

Decoding costs one pass whatever the input (random bytes, NUL bytes, a single gigantic line): bad
bytes are escaped as ``\\xNN`` and counted, and lines longer than
the limit are cut (and counted) before they are decoded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec

DEFAULT_LINE_LIMIT = 1 << 20  # longer lines are cut (and counted)


class DecodedText(msgspec.Struct):
    text: str
    bad_bytes: int = 0  # number of undecodable bytes, each escaped as \\xNN
    nul_bytes: int = 0


_ESCAPED = re.compile("[\udc80-\udcff]")


def decode_bytes(data: bytes) -> DecodedText:
    """Decode UTF-8 strictly; invalid bytes are kept as ``\\xNN`` escapes and counted (in C, one pass)."""
    try:
        text = data.decode("utf-8")
        bad = 0
    except UnicodeDecodeError:
        bad = len(_ESCAPED.findall(data.decode("utf-8", errors="surrogateescape")))
        text = data.decode("utf-8", errors="backslashreplace")
    nul = text.count("\x00")
    if nul:
        text = text.replace("\x00", "\\x00")
    return DecodedText(text=text, bad_bytes=bad, nul_bytes=nul)


def iter_lines(data: bytes, limit: int = DEFAULT_LINE_LIMIT) -> Iterator[tuple[int, str, int]]:
    """Yield ``(line_number, text, bad_bytes)`` for each line; over-long lines are truncated."""
    for number, raw in enumerate(data.splitlines(), start=1):
        chunk = raw[:limit]
        decoded = decode_bytes(chunk)
        bad = decoded.bad_bytes + decoded.nul_bytes + (1 if len(raw) > limit else 0)
        yield number, decoded.text, bad
