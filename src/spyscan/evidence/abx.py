"""Android binary XML (ABX), the format Android 12+ uses for many system XML files.

Layout: the magic ``ABX\\x00``, then tokens. A token is one byte, ``command | type << 4``, followed by
its payload. Strings are a big-endian u16 byte length then UTF-8; an interned string is a u16 index
into a table filled as strings first appear (index ``0xFFFF`` = a new string follows and joins the
table). Numbers are big-endian. Attribute names are always interned.

``parse_abx`` is bounded (depth, element count, attribute count, text size; it never recurses) and raises
only ``AbxError`` (a ``ValueError`` with a one-line message) on malformed input, its subclass
``AbxLimitError`` when a bound was reached.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

ABX_MAGIC = b"ABX\x00"

# commands (low 4 bits of a token byte)
START_DOCUMENT, END_DOCUMENT, START_TAG, END_TAG, TEXT = 0, 1, 2, 3, 4
CDSECT, ENTITY_REF, IGNORABLE_WHITESPACE, PROCESSING_INSTRUCTION, COMMENT, DOCDECL = 5, 6, 7, 8, 9, 10
ATTRIBUTE = 15
_TEXT_COMMANDS = frozenset({TEXT, CDSECT, ENTITY_REF, IGNORABLE_WHITESPACE, PROCESSING_INSTRUCTION, COMMENT,
                            DOCDECL})
_KEPT_TEXT = frozenset({TEXT, CDSECT, ENTITY_REF})  # part of an element's text (others are skipped)

# value types (high 4 bits of a token byte)
TYPE_NULL, TYPE_STRING, TYPE_STRING_INTERNED, TYPE_BYTES_HEX, TYPE_BYTES_BASE64 = 1, 2, 3, 4, 5
TYPE_INT, TYPE_INT_HEX, TYPE_LONG, TYPE_LONG_HEX, TYPE_FLOAT, TYPE_DOUBLE = 6, 7, 8, 9, 10, 11
TYPE_BOOLEAN_TRUE, TYPE_BOOLEAN_FALSE = 12, 13

_NEW_INTERNED = 0xFFFF
_FIXED = {TYPE_INT: ">i", TYPE_INT_HEX: ">i", TYPE_LONG: ">q", TYPE_LONG_HEX: ">q", TYPE_FLOAT: ">f",
          TYPE_DOUBLE: ">d"}

AbxValue = str | int | float | bool | bytes | None


class AbxError(ValueError):
    """Malformed or over-limit binary XML (one-line message)."""


class AbxLimitError(AbxError):
    """Binary XML past one of ``AbxLimits`` (depth, elements, attributes, text)."""


@dataclass
class XmlElement:
    tag: str
    attributes: dict[str, AbxValue] = field(default_factory=dict)
    children: list[XmlElement] = field(default_factory=list)
    text: str = ""

    def iter(self, tag: str) -> list[XmlElement]:
        """This element and its descendants named ``tag``, in document order."""
        found: list[XmlElement] = []
        stack = [self]
        while stack:
            element = stack.pop()
            if element.tag == tag:
                found.append(element)
            stack.extend(reversed(element.children))
        return found


@dataclass(frozen=True)
class AbxLimits:
    max_depth: int = 64
    max_elements: int = 100_000
    max_attributes: int = 1_000_000  # in the whole document
    max_text: int = 4 << 20  # characters of text kept per element


class _Reader:
    def __init__(self, data: bytes, start: int) -> None:
        self.data = data
        self.pos = start
        self.interned: list[str] = []

    def take(self, size: int) -> bytes:
        end = self.pos + size
        if end > len(self.data):
            raise AbxError(f"binary XML truncated at byte {self.pos} (needs {size} more bytes)")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def u16(self) -> int:
        value: int = struct.unpack(">H", self.take(2))[0]
        return value

    def string(self) -> str:
        return self.take(self.u16()).decode("utf-8", errors="replace")

    def interned_string(self) -> str:
        index = self.u16()
        if index == _NEW_INTERNED:
            text = self.string()
            if len(self.interned) >= _NEW_INTERNED:
                raise AbxError("binary XML interned string table is full")
            self.interned.append(text)
            return text
        if index >= len(self.interned):
            raise AbxError(f"binary XML refers to unknown interned string #{index} at byte {self.pos - 2}")
        return self.interned[index]

    def value(self, kind: int) -> AbxValue:
        if kind == TYPE_NULL:
            return None
        if kind == TYPE_STRING:
            return self.string()
        if kind == TYPE_STRING_INTERNED:
            return self.interned_string()
        if kind in (TYPE_BYTES_HEX, TYPE_BYTES_BASE64):
            return self.take(self.u16())
        if kind in _FIXED:
            fmt = _FIXED[kind]
            number: int | float = struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]
            return number
        if kind == TYPE_BOOLEAN_TRUE:
            return True
        if kind == TYPE_BOOLEAN_FALSE:
            return False
        raise AbxError(f"binary XML has unknown value type {kind} at byte {self.pos - 1}")


def is_abx(data: bytes) -> bool:
    return data.startswith(ABX_MAGIC)


def parse_abx(data: bytes, limits: AbxLimits | None = None) -> XmlElement:
    """The root element of an ABX document. Bytes after the end of the document are ignored."""
    limits = limits or AbxLimits()
    if not is_abx(data):
        raise AbxError("not Android binary XML (no ABX magic)")
    reader = _Reader(data, len(ABX_MAGIC))
    stack: list[XmlElement] = []
    texts: list[list[str]] = []  # text pieces of each open element (joined once it closes: never quadratic)
    sizes: list[int] = []
    root: XmlElement | None = None
    elements = attributes = 0
    while reader.pos < len(data):
        token = reader.take(1)[0]
        command, kind = token & 0x0F, token >> 4
        if command == ATTRIBUTE:
            if not stack:
                raise AbxError(f"binary XML attribute outside an element at byte {reader.pos - 1}")
            attributes += 1
            if attributes > limits.max_attributes:
                raise AbxLimitError(f"binary XML has more than {limits.max_attributes} attributes")
            name = reader.interned_string()
            stack[-1].attributes[name] = reader.value(kind)
        elif command == START_TAG:
            if root is not None and not stack:
                raise AbxError(f"binary XML has a second root element at byte {reader.pos - 1}")
            elements += 1
            if elements > limits.max_elements:
                raise AbxLimitError(f"binary XML has more than {limits.max_elements} elements")
            if len(stack) >= limits.max_depth:
                raise AbxLimitError(f"binary XML nests deeper than {limits.max_depth} elements")
            element = XmlElement(tag=_name(reader, kind))
            if stack:
                stack[-1].children.append(element)
            else:
                root = element
            stack.append(element)
            texts.append([])
            sizes.append(0)
        elif command == END_TAG:
            tag = _name(reader, kind)
            if not stack or stack[-1].tag != tag:
                raise AbxError(f"binary XML closes <{tag[:40]}> which is not open, at byte {reader.pos}")
            stack.pop().text = "".join(texts.pop())
            sizes.pop()
        elif command in _TEXT_COMMANDS:
            text = reader.value(kind)
            if command in _KEPT_TEXT and stack and isinstance(text, str):
                sizes[-1] += len(text)
                if sizes[-1] > limits.max_text:
                    raise AbxLimitError(f"binary XML text of <{stack[-1].tag[:40]}> exceeds {limits.max_text} "
                                        "characters")
                texts[-1].append(text)
        elif command == START_DOCUMENT:
            continue
        elif command == END_DOCUMENT:
            break
        else:
            raise AbxError(f"binary XML has unknown token {token:#04x} at byte {reader.pos - 1}")
    if stack:
        raise AbxError(f"binary XML ends inside <{stack[-1].tag[:40]}>")
    if root is None:
        raise AbxError("binary XML holds no element")
    return root


def _name(reader: _Reader, kind: int) -> str:
    if kind == TYPE_STRING_INTERNED:
        return reader.interned_string()
    if kind == TYPE_STRING:
        return reader.string()
    raise AbxError(f"binary XML tag name has value type {kind} at byte {reader.pos - 1}")
