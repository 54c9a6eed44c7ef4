"""XML property lists, read with expat within ``PlistLimits``.

Elements as Apple's DTD and Python's ``plistlib`` read them: ``dict`` (``key`` then a value, repeated),
``array``, ``string``, ``data`` (base64), ``date`` (``YYYY-MM-DDTHH:MM:SSZ``, leading parts only),
``integer`` (decimal or ``0x`` hex), ``real``, ``true``, ``false``; other elements are ignored, like
``plistlib`` does. Entity declarations are refused (no entity expansion at all). A value that cannot be
converted (a date out of range, an integer that is no integer) is returned as its text; nesting and the
number of values are bounded. See ``spyscan.evidence.plist``.
"""

from __future__ import annotations

import binascii
import re
from datetime import datetime
from typing import Any
from xml.parsers import expat

from spyscan.evidence.plist_bounds import PlistError, PlistLimitError, PlistLimits
from spyscan.texts import tr

_DATE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d)(?::(\d\d)(?::(\d\d))?)?)?)?)?Z", re.ASCII)
_LEAVES = frozenset({"key", "string", "data", "date", "integer", "real"})
_UNSET = object()


class _Builder:
    def __init__(self, limits: PlistLimits) -> None:
        self.limits = limits
        self.stack: list[Any] = []
        self.key: str | None = None
        self.root: Any = _UNSET
        self.text: list[str] | None = None  # characters of the leaf element being read
        self.count = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag in _LEAVES:
            self.text = []
            return
        if tag in ("dict", "array"):
            if len(self.stack) >= self.limits.max_depth:
                raise PlistLimitError(tr('XML property list nests deeper than %(max_depth)s levels',
                                         max_depth=self.limits.max_depth))
            container: Any = {} if tag == "dict" else []
            self._add(container)
            self.stack.append(container)

    def end(self, tag: str) -> None:
        if tag in _LEAVES:
            text = "".join(self.text or ())
            self.text = None
            if tag == "key":
                if self.key is not None or not self.stack or not isinstance(self.stack[-1], dict):
                    raise PlistError(tr('XML property list has a key outside a dictionary'))
                self.key = text
            else:
                self._add(_leaf(tag, text))
        elif tag in ("true", "false"):
            self._add(tag == "true")
        elif tag in ("dict", "array") and self.stack:
            if tag == "dict" and self.key is not None:
                raise PlistError(tr('XML property list has a key without a value'))
            self.stack.pop()

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _add(self, value: Any) -> None:
        self.count += 1
        if self.count > self.limits.max_objects:
            raise PlistLimitError(tr('XML property list holds more than %(max_objects)s values',
                                     max_objects=self.limits.max_objects))
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top, dict):
            if self.key is None:
                raise PlistError(tr('XML property list has a value without a key in a dictionary'))
            top[self.key] = value
            self.key = None
        else:
            top.append(value)


def _leaf(tag: str, text: str) -> Any:
    """A leaf's value; a date or number that cannot be converted stays text (its field then keeps it raw)."""
    if tag == "string":
        return text
    if tag == "data":
        try:
            return binascii.a2b_base64(text.encode("utf-8", "backslashreplace"))
        except binascii.Error:
            return text
    stripped = text.strip()
    try:
        if tag == "integer":
            return int(stripped, 16) if stripped[:2].lower() == "0x" else int(stripped)
        if tag == "real":
            return float(stripped)
        match = _DATE.fullmatch(stripped)
        if match is None:
            return text
        return datetime(*(int(part) for part in match.groups() if part is not None))  # type: ignore[arg-type]
    except (ValueError, TypeError):  # not a number, too many digits, no such day
        return text


def _refuse_entities(*_args: object) -> None:
    raise PlistError(tr('XML property list declares an entity (refused)'))


def load_xml(data: bytes, limits: PlistLimits) -> Any:
    builder = _Builder(limits)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.chars
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise PlistError(tr('XML property list is not well-formed XML (%(error)s)', error=exc)) from exc
    except PlistError:
        raise
    except (ValueError, LookupError) as exc:  # a declared encoding pyexpat refuses or Python does not know
        raise PlistError(tr('XML property list cannot be read (%(error)s)', error=exc)) from exc
    if builder.root is _UNSET:
        raise PlistError(tr('XML property list holds no value'))
    return builder.root
