"""Binary property lists (``bplist00``), read without recursion and within ``PlistLimits``.

Format (Apple's ``CFBinaryPList.c``, as also read by Python's ``plistlib``): the header ``bplist00``,
the objects, an offset table, and a 32-byte trailer (6 unused bytes, the offset size, the object
reference size, the object count, the top object and the offset table's position; big-endian). An object
starts with a marker byte: high nibble the type, low nibble a size or ``0xF`` (the size follows as an int
object). Containers hold object references (indexes into the offset table); a dictionary holds its key
references, then its value references.

Objects are decoded once each; containers are built after their children (an explicit stack), so a
reference cycle is seen (an object met again while it is still being read) and refused, nesting and the
tree size (every path to a shared object counted) are bounded. See ``spyscan.evidence.plist``.
"""

from __future__ import annotations

import math
import plistlib
import struct
from datetime import datetime, timedelta
from typing import Any

from spyscan.evidence.plist_bounds import PlistError, PlistLimitError, PlistLimits
from spyscan.texts import tr

_TRAILER = struct.Struct(">6xBBQQQ")
_COCOA_EPOCH = datetime(2001, 1, 1)
_UINT = {1: ">B", 2: ">H", 4: ">L", 8: ">Q"}
_UNSEEN, _OPEN, _DONE = 0, 1, 2
_ARRAY_TYPES = (0xA, 0xB, 0xC)  # array, ordered set, set (the sets are read as lists)


class _Reader:
    def __init__(self, data: bytes, limits: PlistLimits) -> None:
        self.data = data
        self.limits = limits
        if len(data) < 8 + _TRAILER.size:
            raise PlistError(tr('binary property list too short'))
        offset_size, self.ref_size, count, self.top, table = _TRAILER.unpack_from(data, len(data) - _TRAILER.size)
        end = len(data) - _TRAILER.size
        if offset_size not in _UINT or self.ref_size not in _UINT:
            raise PlistError(tr('binary property list with offset size %(offset_size)s / reference size %(ref_size)s',
                                offset_size=offset_size, ref_size=self.ref_size))
        if count > limits.max_objects:
            raise PlistLimitError(tr('binary property list declares %(count)s objects (limit %(max_objects)s)',
                                     count=count, max_objects=limits.max_objects))
        if count == 0 or self.top >= count or table < 8 or table + count * offset_size > end:
            raise PlistError(tr('binary property list with an impossible trailer'))
        self.offsets = struct.unpack_from(f">{count}{_UINT[offset_size][1:]}", data, table)
        self.table = table
        self.end = end  # objects may sit anywhere before the trailer (plistlib seeks to any offset too)
        self.count = count
        self.values: list[Any] = [None] * count
        self.state = bytearray(count)
        self.sizes = [0] * count  # tree size of each decoded object
        self.heights = [0] * count  # containers nested inside, itself included (a scalar: 0)

    # -- one object --------------------------------------------------------------------------------
    def _take(self, pos: int, size: int) -> bytes:
        if size < 0 or pos + size > self.end:
            raise PlistError(tr('binary property list object at byte %(pos)s runs past its end', pos=pos))
        return self.data[pos:pos + size]

    def _length(self, info: int, pos: int) -> tuple[int, int]:
        """The object's element count and the position after the header."""
        if info != 0xF:
            return info, pos
        marker = self._take(pos, 1)[0]
        if marker >> 4 != 0x1 or marker & 0xF > 3:
            raise PlistError(tr('binary property list with a bad length at byte %(pos)s', pos=pos))
        width = 1 << (marker & 0xF)
        return int.from_bytes(self._take(pos + 1, width), "big"), pos + 1 + width

    def header(self, ref: int) -> tuple[int, int, int]:
        """``(type, info, position after the marker)`` of object ``ref``."""
        pos = self.offsets[ref]
        if not 8 <= pos < self.end:
            raise PlistError(tr('binary property list object %(ref)s is outside the file', ref=ref))
        marker = self.data[pos]
        return marker >> 4, marker & 0xF, pos + 1

    def refs(self, info: int, pos: int, per_entry: int) -> list[int]:
        length, pos = self._length(info, pos)
        raw = self._take(pos, length * per_entry * self.ref_size)
        fmt = _UINT[self.ref_size]
        found = list(struct.unpack(f">{length * per_entry}{fmt[1:]}", raw))
        if found and max(found) >= self.count:
            raise PlistError(tr('binary property list refers to object %(max)s of %(count)s', max=max(found),
                                count=self.count))
        return found

    def scalar(self, kind: int, info: int, pos: int) -> Any:
        if kind == 0x0:
            if info in (0x0, 0xF):
                return None if info == 0x0 else b""
            if info in (0x8, 0x9):
                return info == 0x9
        elif kind == 0x1:
            if info > 4:
                raise PlistError(tr('binary property list integer of %(count)s bytes', count=1 << info))
            return int.from_bytes(self._take(pos, 1 << info), "big", signed=info >= 3)
        elif kind == 0x2 and info in (2, 3):
            return struct.unpack(">f" if info == 2 else ">d", self._take(pos, 1 << info))[0]
        elif kind == 0x3 and info == 3:
            return _date(struct.unpack(">d", self._take(pos, 8))[0])
        elif kind == 0x4:
            length, pos = self._length(info, pos)
            return self._take(pos, length)
        elif kind in (0x5, 0x7):  # ASCII, UTF-8
            length, pos = self._length(info, pos)
            return self._take(pos, length).decode("ascii" if kind == 0x5 else "utf-8", "backslashreplace")
        elif kind == 0x6:
            length, pos = self._length(info, pos)
            return self._take(pos, 2 * length).decode("utf-16-be", "backslashreplace")
        elif kind == 0x8:
            uid = int.from_bytes(self._take(pos, info + 1), "big")
            if uid >= 1 << 64:
                raise PlistError(tr('binary property list UID of more than 64 bits'))
            return plistlib.UID(uid)
        raise PlistError(tr('binary property list has an unknown object marker %(marker)s',
                            marker=format(kind << 4 | info, "#04x")))

    # -- the whole graph ---------------------------------------------------------------------------
    def load(self) -> Any:
        top = self._visit(self.top, depth=0)
        if top is not None:
            stack = [top]
            while stack:
                frame = stack[-1]
                ref, children, index = frame
                if index < len(children):
                    frame[2] = index + 1
                    pushed = self._visit(children[index], depth=len(stack))
                    if pushed is not None:
                        stack.append(pushed)
                    continue
                self._finish(ref, children)
                stack.pop()
        if self.sizes[self.top] > self.limits.max_objects:
            raise PlistLimitError(tr('binary property list holds more than %(max_objects)s values',
                                     max_objects=self.limits.max_objects))
        return self.values[self.top]

    def _visit(self, ref: int, depth: int) -> list[Any] | None:
        """Decode ``ref`` if it is a scalar; return a stack frame when it is a container to read."""
        state = self.state[ref]
        if state == _OPEN:
            raise PlistError(tr('binary property list object %(ref)s contains itself (a reference cycle)', ref=ref))
        if state == _DONE:
            if depth + self.heights[ref] > self.limits.max_depth:
                raise PlistLimitError(tr('binary property list nests deeper than %(max_depth)s levels',
                                         max_depth=self.limits.max_depth))
            return None
        kind, info, pos = self.header(ref)
        if kind in _ARRAY_TYPES or kind == 0xD:
            if depth >= self.limits.max_depth:
                raise PlistLimitError(tr('binary property list nests deeper than %(max_depth)s levels',
                                         max_depth=self.limits.max_depth))
            self.state[ref] = _OPEN
            self.values[ref] = kind
            return [ref, self.refs(info, pos, 2 if kind == 0xD else 1), 0]
        self.values[ref] = self.scalar(kind, info, pos)
        self.state[ref], self.sizes[ref] = _DONE, 1  # a scalar's height stays 0
        return None

    def _finish(self, ref: int, children: list[int]) -> None:
        values = self.values
        if values[ref] == 0xD:
            half = len(children) // 2
            try:
                built: Any = {values[k]: values[v] for k, v in zip(children[:half], children[half:], strict=True)}
            except TypeError as exc:  # a key that cannot be one (a list or a dictionary)
                raise PlistError(tr('binary property list dictionary key is not a string')) from exc
        else:
            built = [values[c] for c in children]
        limit = self.limits.max_objects
        size = 1
        for child in children:
            size += self.sizes[child]
            if size > limit:
                raise PlistLimitError(tr('binary property list holds more than %(limit)s values', limit=limit))
        values[ref] = built
        self.sizes[ref] = size
        self.heights[ref] = 1 + max((self.heights[c] for c in children), default=0)
        self.state[ref] = _DONE


def _date(seconds: float) -> datetime | float:
    """A plist date (naive UTC), or its stored Cocoa seconds when no datetime can hold it."""
    if not math.isfinite(seconds):
        return seconds
    try:
        return _COCOA_EPOCH + timedelta(seconds=seconds)
    except OverflowError:
        return seconds


def load_binary(data: bytes, limits: PlistLimits) -> Any:
    try:
        return _Reader(data, limits).load()
    except (struct.error, IndexError, ValueError, OverflowError) as exc:
        if isinstance(exc, PlistError):
            raise
        raise PlistError(tr('damaged binary property list (%(name)s)', name=type(exc).__name__)) from exc
