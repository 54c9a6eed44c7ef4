"""A fast reader for the ``MBFile`` archives of Manifest.db (one per backed-up file).

A Manifest.db holds one NSKeyedArchiver binary plist per backed-up file, often hundreds of thousands,
and ``plistlib`` spends most of its time in per-object calls on a file object. This reader has two
levels, and either gives up (None: the general decoder in ``fileinfo`` then decides):

* **Scan.** Walk the binary plist offset table once, straight from the bytes, in a single flat loop,
  for the few object types an MBFile archive uses, then resolve only the root MBFile's direct
  references. Every object is checked, reachable or not, so it never accepts a blob ``plistlib`` would
  refuse, nor reads a different value from one it accepts: the result always equals what
  ``fileinfo._decode_direct`` gives.
* **Shapes.** Archives written by one device differ from each other only in their numbers and
  strings; when their offset tables are equal, every object sits at the same place. After a scan, the
  blob's *shape* is remembered under its offset table and trailer: which byte ranges carry the values
  that end up in the result (the payloads of integers, strings and data objects referenced nowhere
  else) and what every other byte was. A later blob under the same key whose other bytes are all
  equal (one comparison of a few slices, in C) holds the same objects with, at most, other payloads:
  those are decoded with the scan's own rules (an ASCII string must still be ASCII) and put into a
  copy of the remembered result. So the shape path gives exactly what the scan would, about five
  times faster; any difference sends the blob to the scan.

Parsed objects: str, int, bytes and bool as themselves; a UID as ("u", index); an array as
("a", refs); a dictionary as ("d", key refs, value refs). Nothing else yields a tuple.
"""

from __future__ import annotations

import operator
import struct
from collections import Counter
from collections.abc import Callable
from typing import Any, NamedTuple

_MAX_OBJECTS = 128  # an MBFile archive has about 40; also keeps plistlib's nesting under its recursion limit
MAX_DEPTH = 32  # nesting of the blob's plist (an MBFile archive: 3), as ``fileinfo`` reads the general case
MAX_EXPANDED = 20_000  # values once shared objects are counted on every path
_OFFSET_FORMATS = {1: "B", 2: "H", 4: "L", 8: "Q"}
_REF_FORMATS = {1: "B", 2: "H", 4: "L"}
_ARCHIVER = "NSKeyedArchiver"
MAX_SHAPES = 4096  # remembered shapes per process (a few hundred bytes each); forgotten all at once when full

# how a payload is decoded
_UINT, _SINT, _ASCII, _UTF16, _DATA = range(5)


class _Scan(NamedTuple):
    values: list[Any]
    top: int
    payloads: list[tuple[int, int, int] | None]  # (start, end, how) of each int/str/data object's payload
    extents: list[tuple[int, int]]  # (start, end) of each object: marker, length and payload or references


def _scan_objects(blob: bytes) -> _Scan | None:
    """Every object of a ``bplist00`` blob (see the module docstring) and the top object's index; None
    if unusual."""
    end = len(blob)
    limit = end - 32  # objects and offset table sit between the header and the trailer
    if limit < 10 or blob[:8] != b"bplist00":
        return None
    offset_size, ref_size, count, top, table = struct.unpack_from(">6xBBQQQ", blob, limit)
    offset_format, ref_format = _OFFSET_FORMATS.get(offset_size), _REF_FORMATS.get(ref_size)
    if (offset_format is None or ref_format is None or not 0 < count <= _MAX_OBJECTS or top >= count
            or table < 8 or table + offset_size * count > limit):
        return None
    values: list[Any] = []
    payloads: list[tuple[int, int, int] | None] = []
    extents: list[tuple[int, int]] = []
    keys_seen: list[int] = []
    for pos in struct.unpack_from(f">{count}{offset_format}", blob, table):
        if not 8 <= pos < limit:
            return None
        token = blob[pos]
        start = pos
        kind, n = token & 0xF0, token & 0x0F
        pos += 1
        if n == 0x0F and kind in (0x40, 0x50, 0x60, 0xA0, 0xD0):  # the length follows as an int object
            if pos >= limit:
                return None
            marker = blob[pos]
            width = 1 << (marker & 0x0F)
            if marker & 0xF0 != 0x10 or width > 8 or pos + 1 + width > limit:
                return None
            n = int.from_bytes(blob[pos + 1:pos + 1 + width], "big")
            pos += 1 + width
        payload: tuple[int, int, int] | None = None
        if kind == 0x10:  # integer: 1, 2, 4 bytes unsigned, 8 bytes signed
            width = 1 << n
            if n > 3 or pos + width > limit:
                return None
            values.append(int.from_bytes(blob[pos:pos + width], "big", signed=n == 3))
            payload = (pos, pos + width, _SINT if n == 3 else _UINT)
            pos += width
        elif kind == 0x50:  # ASCII string
            raw = blob[pos:pos + n]
            if pos + n > limit or not raw.isascii():
                return None
            values.append(raw.decode("ascii"))
            payload = (pos, pos + n, _ASCII)
            pos += n
        elif kind == 0x80:  # UID
            if n > 3 or pos + n + 1 > limit:
                return None
            values.append(("u", int.from_bytes(blob[pos:pos + n + 1], "big")))
            pos += n + 1
        elif kind == 0xD0 or kind == 0xA0:  # dictionary (keys then values) or array
            total = 2 * n if kind == 0xD0 else n
            if pos + total * ref_size > limit:
                return None
            refs = struct.unpack_from(f">{total}{ref_format}", blob, pos)
            if refs and max(refs) >= count:
                return None
            if kind == 0xA0:
                values.append(("a", refs))
            else:
                keys_seen.extend(refs[:n])
                values.append(("d", refs[:n], refs[n:]))
            pos += total * ref_size
        elif kind == 0x40:  # data
            if pos + n > limit:
                return None
            values.append(blob[pos:pos + n])
            payload = (pos, pos + n, _DATA)
            pos += n
        elif kind == 0x60:  # UTF-16 string
            if pos + 2 * n > limit:
                return None
            try:
                values.append(blob[pos:pos + 2 * n].decode("utf-16be"))
            except UnicodeDecodeError:
                return None
            payload = (pos, pos + 2 * n, _UTF16)
            pos += 2 * n
        elif token == 0x08 or token == 0x09:
            values.append(token == 0x09)
        else:  # null, reals, dates, sets...: not in an MBFile archive
            return None
        payloads.append(payload)
        extents.append((start, pos))
    for ref in keys_seen:  # plistlib needs hashable keys; an MBFile archive only has string keys
        if type(values[ref]) is not str:
            return None
    if not _graph_within_limits(values, top):
        return None
    return _Scan(values, top, payloads, extents)


def _graph_within_limits(values: list[Any], top: int) -> bool:
    """True when the containers reachable from ``top`` form no cycle, nest at most ``MAX_DEPTH`` deep and
    expand to at most ``MAX_EXPANDED`` values: what the general decoder's bounded plist reader accepts."""
    state = bytearray(len(values))  # 0 unseen, 1 being read, 2 done
    size = [1] * len(values)
    height = [0] * len(values)

    def children(ref: int) -> tuple[int, ...]:
        value = values[ref]
        if type(value) is tuple and value[0] != "u":
            return tuple(value[1]) + (tuple(value[2]) if value[0] == "d" else ())
        return ()

    if not children(top):
        return True
    stack = [(top, children(top), 0)]
    state[top] = 1
    while stack:
        ref, kids, index = stack[-1]
        if index < len(kids):
            stack[-1] = (ref, kids, index + 1)
            kid = kids[index]
            if state[kid] == 1:
                return False
            grand = children(kid)
            if state[kid] == 2 or not grand:
                if len(stack) + height[kid] > MAX_DEPTH:
                    return False
                continue
            if len(stack) >= MAX_DEPTH:
                return False
            state[kid] = 1
            stack.append((kid, grand, 0))
            continue
        size[ref] = 1 + sum(size[k] for k in kids)
        height[ref] = 1 + max((height[k] for k in kids), default=0)
        if size[ref] > MAX_EXPANDED:
            return False
        state[ref] = 2
        stack.pop()
    return True


class _Output(NamedTuple):
    """Where one value of the result comes from."""

    key: str  # the MBFile's key
    name: str | None  # the key inside a nested dictionary (NSData's "NS.data"), or None
    obj: int  # the object holding the value
    null_check: bool  # reached through a UID: the string "$null" means None


def _resolve(values: list[Any], top_ref: int) -> tuple[dict[str, Any], list[_Output]] | None:
    """The root MBFile with its direct references resolved (what ``_decode_direct`` gives), and where
    each of its values comes from; None when the archive is not that shape."""

    def fields(ref: int) -> dict[str, int] | None:  # a dictionary's keys and value references
        found = values[ref]
        if type(found) is not tuple or found[0] != "d":
            return None
        return {values[key]: item for key, item in zip(found[1], found[2], strict=True)}

    top = fields(top_ref)
    if top is None or "$archiver" not in top or values[top["$archiver"]] != _ARCHIVER:
        return None
    objects, header = values[top["$objects"]] if "$objects" in top else None, \
        fields(top["$top"]) if "$top" in top else None
    if type(objects) is not tuple or objects[0] != "a" or not header or "root" not in header:
        return None
    refs, root_ref = objects[1], values[header["root"]]
    if type(root_ref) is not tuple or root_ref[0] != "u" or root_ref[1] >= len(refs):
        return None
    root = fields(refs[root_ref[1]])
    if root is None:
        return None
    resolved: dict[str, Any] = {}
    outputs: list[_Output] = []
    for key, ref in root.items():
        value = values[ref]
        through_uid = False
        if type(value) is tuple and value[0] == "u":
            if value[1] >= len(refs):
                return None
            ref, value = refs[value[1]], values[refs[value[1]]]
            through_uid = True
            if value == "$null":
                value = None
        if type(value) is tuple and value[0] == "d":  # NSData and the like: one level is enough
            nested = fields(ref) or {}
            value = {name: values[item] for name, item in nested.items()}
            outputs.extend(_Output(key, name, item, False) for name, item in nested.items())
        else:
            outputs.append(_Output(key, None, ref, through_uid))
        resolved[key] = value
    return resolved, outputs


def _slices(spans: list[tuple[int, int]]) -> Callable[[bytes], tuple[bytes, ...]]:
    """A function giving the bytes of each span, as a tuple, in one C call."""
    if not spans:
        return lambda blob: ()
    if len(spans) == 1:
        only = slice(*spans[0])
        return lambda blob: (blob[only],)
    return operator.itemgetter(*(slice(a, b) for a, b in spans))


class _Shape:
    """What a scanned blob taught about every blob with the same offset table (module docstring)."""

    def __init__(self, blob: bytes, decoders: list[tuple[int, bool]], targets: list[tuple[str, str | None]],
                 spans: list[tuple[int, int]], resolved: dict[str, Any]) -> None:
        constant: list[tuple[int, int]] = []
        cursor = 0
        for start, stop in sorted(set(spans)):
            if start > cursor:
                constant.append((cursor, start))
            cursor = max(cursor, stop)
        constant.append((cursor, len(blob)))
        self.constant = _slices(constant)
        self.expected = self.constant(blob)
        self.variable = _slices(spans)
        self.decoders = decoders
        self.targets = targets
        self.nested = sorted({key for key, name in targets if name is not None})
        self.template = {key: dict(value) if key in self.nested else value for key, value in resolved.items()}

    @classmethod
    def learn(cls, blob: bytes, scan: _Scan, resolved: dict[str, Any], outputs: list[_Output]) -> _Shape | None:
        """The shape of a scanned blob; None when its payloads cannot safely vary (see below)."""
        references: Counter[int] = Counter({scan.top: 1})
        for value in scan.values:
            if type(value) is tuple and value[0] != "u":
                references.update(value[1])
                if value[0] == "d":
                    references.update(value[2])
        uses: Counter[int] = Counter(out.obj for out in outputs)
        keys = {key for value in scan.values if type(value) is tuple and value[0] == "d" for key in value[1]}
        # a payload may vary only when nothing but the result reads it: the object is referenced only
        # from where its value is taken (never as a key, a class name, or from a second place); counting
        # alone cannot tell a key from a value when the dictionary is reached twice (a fuzzing finding) ...
        variable = [out for out in outputs if scan.payloads[out.obj] is not None and out.obj not in keys
                    and references[out.obj] == uses[out.obj]]
        spans = [(p[0], p[1]) for p in (scan.payloads[out.obj] for out in variable) if p is not None]
        # ... and no other object's bytes (an offset table can make objects overlap) lie inside it
        own = {out.obj for out in variable}
        for index, (start, stop) in enumerate(scan.extents):
            payload = scan.payloads[index]
            for low, high in spans:
                if start < high and low < stop and not (index in own and payload is not None
                                                        and (payload[0], payload[1]) == (low, high)):
                    return None
        decoders = [(p[2], out.null_check) for out in variable if (p := scan.payloads[out.obj]) is not None]
        return cls(blob, decoders, [(out.key, out.name) for out in variable], spans, resolved)

    def fill(self, blob: bytes) -> dict[str, Any] | None:
        """The result for ``blob`` (whose constant bytes are known to be equal); None if a payload is
        not valid for its object."""
        values: list[Any] = []
        for (how, null_check), raw in zip(self.decoders, self.variable(blob), strict=True):
            if how == _UINT:
                values.append(int.from_bytes(raw, "big"))
                continue
            if how == _SINT:
                values.append(int.from_bytes(raw, "big", signed=True))
                continue
            if how == _DATA:
                values.append(raw)
                continue
            if how == _ASCII:
                if not raw.isascii():
                    return None
                text = raw.decode("ascii")
            else:
                try:
                    text = raw.decode("utf-16be")
                except UnicodeDecodeError:
                    return None
            values.append(None if null_check and text == "$null" else text)
        result = dict(self.template)
        for key in self.nested:
            result[key] = dict(result[key])
        for (key, name), value in zip(self.targets, values, strict=True):
            if name is None:
                result[key] = value
            else:
                result[key][name] = value
        return result


_SHAPES: dict[bytes, _Shape] = {}


def _shape_key(blob: bytes) -> bytes:
    """The offset table and trailer: equal keys mean every object sits at the same place."""
    table = int.from_bytes(blob[-8:], "big")
    return blob[table:] if 8 <= table < len(blob) else b""


def decode_fast(blob: bytes) -> dict[str, Any] | None:
    """What ``fileinfo._decode_direct`` gives for ``blob``, or None when this reader cannot be sure of it."""
    key = _shape_key(blob)
    shape = _SHAPES.get(key) if key else None
    if shape is not None and shape.constant(blob) == shape.expected:
        filled = shape.fill(blob)
        if filled is not None:
            return filled
    scan = _scan_objects(blob)
    if scan is None:
        return None
    found = _resolve(scan.values, scan.top)
    if found is None:
        return None
    resolved, outputs = found
    if key:
        if len(_SHAPES) >= MAX_SHAPES:
            _SHAPES.clear()
        shape = _Shape.learn(blob, scan, resolved, outputs)
        if shape is not None:
            _SHAPES[key] = shape
    return resolved


def forget_shapes() -> None:
    """Drop every remembered shape (tests compare the scan and the shape paths)."""
    _SHAPES.clear()
