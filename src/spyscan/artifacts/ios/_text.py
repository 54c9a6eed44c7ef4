"""Text inside ``attributedBody`` (links in text: ``spyscan.links.text.links_in``)."""

from __future__ import annotations

from typing import Literal

from spyscan.evidence.textio import decode_bytes

STRING_CLASSES = (b"NSMutableString", b"NSString")
INT16, INT32 = 0x81, 0x82  # typedstream integer tags (-127, -126): a 2- or 4-byte integer follows


def attributed_body_text(data: bytes | None) -> str | None:
    """The plain string of an ``NSAttributedString`` archived as a typedstream (sms.db ``attributedBody``).

    A typedstream starts with a signature that gives the byte order (``streamtyped``: little-endian,
    ``typedstream``: big-endian). The attributed string's first member is its string: the class name
    ``NSString`` (or ``NSMutableString``), a few type bytes, a ``+`` (C string marker), a length
    (one byte; ``0x81`` + 2 bytes; ``0x82`` + 4 bytes) and the UTF-8 bytes.
    Returns None when the layout is not recognised.
    """
    if not data:
        return None
    order: Literal["big", "little"] = "big" if data[:24].find(b"typedstream") >= 0 else "little"
    found = [(data.find(name), name) for name in STRING_CLASSES]
    anchor, name = min(((p, n) for p, n in found if p >= 0), default=(-1, b""))
    if anchor < 0:
        return None
    plus = data.find(b"+", anchor + len(name), anchor + len(name) + 16)
    if plus < 0:
        return None
    pos = plus + 1
    if pos >= len(data):
        return None
    first = data[pos]
    if first == INT16:
        length = int.from_bytes(data[pos + 1:pos + 3], order)
        pos += 3
    elif first == INT32:
        length = int.from_bytes(data[pos + 1:pos + 5], order)
        pos += 5
    elif first < 0x80:
        length = first
        pos += 1
    else:
        return None
    chunk = data[pos:pos + length]
    if not chunk or len(chunk) < length:
        return None
    return decode_bytes(chunk).text or None
