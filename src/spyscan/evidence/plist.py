"""Property lists from the evidence, read within bounds: ``load_plist(data)``.

Binary (``bplist00``) and XML plists are read by our own readers (``plist_binary``, ``plist_xml``), which
give the same Python values as ``plistlib`` (dict, list, str, int, float, bool, bytes, naive UTC
``datetime``, ``plistlib.UID``) but:

* never recurse (an explicit stack), and refuse a structure nested deeper than ``max_depth`` or holding
  more than ``max_objects`` values (counted as a tree: a binary plist whose objects are shared many times
  is counted by every path to them, so that code walking the result stays bounded too);
* refuse a binary plist whose references form a cycle (no real plist has one; ``plistlib`` returns a
  self-containing list, on which any walker loops);
* let a single bad value cost that value only: a date outside datetime's range is returned as its stored
  number (Cocoa seconds, binary) or text (XML), an XML ``<integer>`` that is no integer as its text, a
  string that is not valid ASCII/UTF-16 with its bad bytes escaped. The field converters then keep it raw
  and note the fault (``spyscan.faults``), instead of the whole file being unreadable.

Errors: ``PlistError`` (a ``ValueError`` with a one-line reason) when the bytes are not a readable plist;
its subclass ``PlistLimitError`` when a limit was reached (callers mark the artifact ``truncated``: a part
of the evidence was not read). Nothing else escapes.
"""

from __future__ import annotations

from typing import Any

from spyscan.evidence.plist_binary import load_binary
from spyscan.evidence.plist_bounds import DEFAULT_LIMITS, PlistError, PlistLimitError, PlistLimits
from spyscan.evidence.plist_xml import load_xml
from spyscan.texts import tr

__all__ = ["DEFAULT_LIMITS", "PLIST_LIMIT", "PlistError", "PlistLimitError", "PlistLimits", "is_plist", "load_plist"]

PLIST_LIMIT = 64 << 20  # bytes of one plist read from the evidence


def is_plist(data: bytes) -> bool:
    return data.startswith(b"bplist00") or _is_xml(data)


def _is_xml(data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf")
    for prefix in (b"<?xml", b"<plist"):
        if head.startswith(prefix) or head.startswith(prefix.decode().encode("utf-16-le")) \
                or head.startswith(prefix.decode().encode("utf-16-be")) \
                or head.startswith(b"\xff\xfe" + prefix.decode().encode("utf-16-le")) \
                or head.startswith(b"\xfe\xff" + prefix.decode().encode("utf-16-be")):
            return True
    return False


def load_plist(data: bytes, limits: PlistLimits = DEFAULT_LIMITS) -> Any:
    """The value of a binary or XML property list; ``PlistError`` / ``PlistLimitError`` otherwise."""
    if data.startswith(b"bplist00"):
        return load_binary(data, limits)
    if _is_xml(data):
        return load_xml(data, limits)
    raise PlistError(tr('not a property list (neither binary nor XML)'))
