"""Hand-made hostile property lists: binary object graphs (cycles, shared objects, deep chains) and XML.

Written from the format description (``bplist00``, objects, offset table, 32-byte trailer); nothing here
imports spyscan.
"""

from __future__ import annotations

import struct

REF = 4  # bytes per object reference and per offset in the plists built here


def _count(marker: int, n: int) -> bytes:
    if n < 15:
        return bytes([marker | n])
    return bytes([marker | 0xF, 0x12]) + struct.pack(">I", n)


def array(*refs: int) -> bytes:
    return _count(0xA0, len(refs)) + b"".join(struct.pack(">I", r) for r in refs)


def dictionary(pairs: list[tuple[int, int]]) -> bytes:
    return (_count(0xD0, len(pairs)) + b"".join(struct.pack(">I", k) for k, _ in pairs)
            + b"".join(struct.pack(">I", v) for _, v in pairs))


def ascii_string(text: str) -> bytes:
    return _count(0x50, len(text)) + text.encode("ascii")


def integer(value: int) -> bytes:
    return b"\x13" + struct.pack(">q", value)


def date(seconds: float) -> bytes:
    return b"\x33" + struct.pack(">d", seconds)


def uid(value: int) -> bytes:
    return b"\x83" + struct.pack(">I", value)


def bplist(objects: list[bytes], top: int = 0, declared: int | None = None) -> bytes:
    """A binary plist of ``objects`` (already encoded, references as object indexes)."""
    body = bytearray(b"bplist00")
    offsets = []
    for obj in objects:
        offsets.append(len(body))
        body += obj
    table = len(body)
    body += b"".join(struct.pack(">I", o) for o in offsets)
    body += struct.pack(">6xBBQQQ", REF, REF, len(objects) if declared is None else declared, top, table)
    return bytes(body)


def self_containing() -> bytes:
    """An array whose only element is itself."""
    return bplist([array(0)])


def cycle_of(length: int) -> bytes:
    """Arrays 0 → 1 → … → length-1 → 0."""
    return bplist([array((i + 1) % length) for i in range(length)])


def chain(depth: int) -> bytes:
    """Arrays nested ``depth`` levels, each holding the next (the last one empty)."""
    return bplist([array(i + 1) for i in range(depth - 1)] + [array()])


def doubling(levels: int) -> bytes:
    """Object i is [i+1, i+1]: ``levels`` + 1 objects that expand to 2^levels leaves (a "billion laughs")."""
    return bplist([array(i + 1, i + 1) for i in range(levels)] + [integer(1)])


def xml_nested(depth: int) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">' + b"<array>" * depth
            + b"</array>" * depth + b"</plist>")


def xml_entities() -> bytes:
    return (b'<?xml version="1.0"?>\n<!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<plist version="1.0"><string>&b;&b;&b;</string></plist>')


def archive(objects: list[bytes], root: int) -> bytes:
    """An NSKeyedArchiver archive: ``{"$archiver", "$top": {"root": UID(root)}, "$objects": [...]}`` with
    ``objects`` holding the archive's own objects; their references are UIDs (``uid(i)``: ``$objects[i]``).

    Layout: plist objects 0..3 are the top dictionary and its keys/values, 4 is the ``$objects`` array,
    ``5 + i`` is archive object i.
    """
    base = 5 + len(objects)
    extra = [ascii_string("$archiver"), ascii_string("NSKeyedArchiver"), ascii_string("$top"),
             ascii_string("$objects"), ascii_string("root"), uid(root)]
    keys = {name: base + i for i, name in enumerate(("archiver_k", "archiver_v", "top_k", "objects_k", "root_k",
                                                       "root_uid"))}
    top_dict = dictionary([(keys["archiver_k"], keys["archiver_v"]), (keys["top_k"], 1), (keys["objects_k"], 4)])
    top_inner = dictionary([(keys["root_k"], keys["root_uid"])])
    filler = [ascii_string("x"), ascii_string("y")]  # plist objects 2 and 3 (unused)
    objects_array = array(*(5 + i for i in range(len(objects))))
    return bplist([top_dict, top_inner, *filler, objects_array, *objects, *extra])
