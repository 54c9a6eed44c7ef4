"""Characters that change how text is displayed without being seen, made visible in every text output.

Evidence text may hold bidirectional controls (U+202E turns ``exe.txt`` into what reads as ``txt.exe``),
zero-width characters, Unicode tag characters (invisible ASCII look-alikes) and other control characters.
Written raw into ``timeline.csv`` or the JSON outputs, they would reorder or hide what a person reads in a
spreadsheet, an editor or a terminal. The HTML report marks them (``report.redact.inert``); here:

* ``visible(text)``: each such character as a Python escape (``\\u202e``, ``\\x85``, ``\\n``), as the
  detection messages write observed values (``repr``); for CSV cells.
* ``json_visible(data)``: the same characters as JSON escapes in encoded JSON (``\\u202e``). Lossless: the
  JSON decodes to exactly the same strings (``recheck`` reads the same records).
"""

from __future__ import annotations

import re

# Control characters (C0, DEL, C1), the soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width
# and directional marks, line and paragraph separators, bidirectional embeddings, overrides and isolates,
# invisible operators, deprecated format controls, the byte-order mark, interlinear annotation controls and
# the tag characters. Every one of them is "not printable" for ``str.isprintable`` (a fast exit below).
_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x61C, 0x61C), (0x180E, 0x180E), (0x200B, 0x200F),
           (0x2028, 0x202E), (0x2060, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0xE0000, 0xE007F))
INVISIBLE = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _RANGES) + "]")

# The same characters as UTF-8 bytes (a test checks both agree on every code point), by lead byte: this runs
# over every block of records written, so a block is first searched (at memchr speed) for each lead byte,
# then only the leads present are looked at closely. Lead bytes are never continuation bytes, so a match
# cannot start inside another character. C0 controls are absent: JSON escapes them already.
_BY_LEAD = {
    b"\x7f": rb"\x7f",
    b"\xc2": rb"\xc2[\x80-\x9f\xad]",
    b"\xd8": rb"\xd8\x9c",
    b"\xe1": rb"\xe1\xa0\x8e",
    b"\xe2": rb"\xe2(?:\x80[\x8b-\x8f\xa8-\xae]|\x81[\xa0-\xaf])",
    b"\xef": rb"\xef(?:\xbb\xbf|\xbf[\xb9-\xbb])",
    b"\xf3": rb"\xf3\xa0[\x80\x81][\x80-\xbf]",
}
_LEAD_SEARCHES = tuple((lead, re.compile(pattern).search) for lead, pattern in _BY_LEAD.items())
_INVISIBLE_UTF8 = re.compile(b"|".join(_BY_LEAD.values()))


def _python_escape(match: re.Match[str]) -> str:
    return repr(match.group(0))[1:-1]


def visible(text: str) -> str:
    """``text`` with every invisible or control character written as its Python escape (``\\u202e``)."""
    if text.isprintable():
        return text
    return INVISIBLE.sub(_python_escape, text)


def _json_escape(match: re.Match[bytes]) -> bytes:
    code = ord(match.group(0).decode("utf-8"))
    if code > 0xFFFF:  # as a UTF-16 surrogate pair, which is how JSON writes it
        code -= 0x10000
        return b"\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
    return b"\\u%04x" % code


def json_visible(data: bytes) -> bytes:
    """Encoded JSON with the invisible characters of its strings as JSON escapes (decodes to the same)."""
    if data.isascii() and b"\x7f" not in data:
        return data
    if not any(lead in data and search(data) for lead, search in _LEAD_SEARCHES):
        return data
    return _INVISIBLE_UTF8.sub(_json_escape, data)
