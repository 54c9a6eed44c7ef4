"""Text helpers shared by message-like artifacts: links in text, text inside ``attributedBody``."""

from __future__ import annotations

from spyscan.evidence.textio import decode_bytes
from spyscan.indicators.normalize import extract_from_text

MAX_LINKS = 200


def links_in(*texts: str | None) -> list[str]:
    """The URLs (with a scheme or ``www.``) found in ``texts``, in order, without duplicates."""
    seen: dict[str, None] = {}
    for item in texts:
        if not item:
            continue
        for url in extract_from_text(item).urls:
            seen.setdefault(url, None)
            if len(seen) >= MAX_LINKS:
                return list(seen)
    return list(seen)


def attributed_body_text(data: bytes | None) -> str | None:
    """The plain string of an ``NSAttributedString`` archived as a typedstream (sms.db ``attributedBody``).

    The stream holds the class name ``NSString``, a few type bytes, then a ``+`` (C string marker),
    a length (one byte; ``0x81`` + 2 bytes little-endian; ``0x82`` + 4 bytes) and the UTF-8 bytes.
    Returns None when the layout is not recognised.
    """
    if not data:
        return None
    anchor = data.find(b"NSString")
    if anchor < 0:
        return None
    plus = data.find(b"+", anchor + len(b"NSString"), anchor + len(b"NSString") + 16)
    if plus < 0:
        return None
    pos = plus + 1
    if pos >= len(data):
        return None
    first = data[pos]
    if first == 0x81:
        length = int.from_bytes(data[pos + 1:pos + 3], "little")
        pos += 3
    elif first == 0x82:
        length = int.from_bytes(data[pos + 1:pos + 5], "little")
        pos += 5
    else:
        length = first
        pos += 1
    chunk = data[pos:pos + length]
    if not chunk or len(chunk) < length:
        return None
    return decode_bytes(chunk).text or None
