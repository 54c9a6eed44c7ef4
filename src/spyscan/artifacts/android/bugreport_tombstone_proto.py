"""Protobuf tombstones (``tombstone_NN.pb``), decoded from the wire format without generated code.

Field numbers of AOSP ``system/core/debuggerd/proto/tombstone.proto`` (message ``Tombstone``):
1 arch (enum), 2 build_fingerprint, 3 revision, 4 timestamp, 5 pid, 6 tid, 7 uid, 8 selinux_label,
9 command_line (repeated string; ``process_name`` in the first version), 10 signal_info (``Signal``),
14 abort_message, 15 causes (``Cause``: 1 human_readable), 16 threads (map<uint32, Thread>, ``Thread``:
1 id, 2 name). ``Signal``: 1 number, 2 name, 3 code, 4 code_name, 9 fault_address.
Unknown fields are skipped, so newer versions decode too.

Bounded: the reader never recurses (only three nested message types are opened, each by its own code:
``signal_info``, ``causes``, the ``threads`` map entries and their ``Thread``), a length is checked against
the bytes left before anything is sliced, and a message with more than ``MAX_FIELDS`` fields is refused
with ``ProtobufLimitError`` (a real tombstone has a few hundred; its memory maps and backtraces are fields
we do not keep).
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.android.bugreport_tombstone_text import executable_of, parse_time
from spyscan.records.android_tombstones import AndroidTombstone
from spyscan.records.base import SourceRef

Field = tuple[int, int, int | bytes]  # (number, wire type, value)
ARCH = {0: "arm", 1: "arm64", 2: "x86", 3: "x86_64", 4: "riscv64"}


MAX_FIELDS = 1_000_000  # fields of one message (a 64 MiB file of 2-byte fields would hold 32 million)


class ProtobufError(ValueError):
    pass


class ProtobufLimitError(ProtobufError):
    """A message past ``MAX_FIELDS``: not read (the artifact is then truncated)."""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = 0
    for shift in range(0, 70, 7):
        if pos >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
    raise ProtobufError("varint longer than 10 bytes")


def iter_fields(data: bytes) -> Iterator[Field]:
    """Every ``(field number, wire type, value)`` of one message (bytes for length-delimited fields)."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise ProtobufError("field number 0")
        value: int | bytes
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 1:
            value, pos = int.from_bytes(data[pos:pos + 8], "little"), pos + 8
        elif wire == 2:
            size, pos = _varint(data, pos)
            if pos + size > len(data):
                raise ProtobufError("length-delimited field runs past the end")
            value, pos = data[pos:pos + size], pos + size
        elif wire == 5:
            value, pos = int.from_bytes(data[pos:pos + 4], "little"), pos + 4
        else:
            raise ProtobufError(f"unsupported wire type {wire}")
        if pos > len(data):
            raise ProtobufError("truncated field")
        yield number, wire, value


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _text(value: int | bytes) -> str:
    raw = value if isinstance(value, bytes) else b""
    return raw.decode("utf-8", errors="backslashreplace").rstrip("\x00")


_KEPT = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16})  # the fields read (of any message type here)


def _message(data: bytes) -> dict[int, list[int | bytes]]:
    """The kept fields of one message (others are skipped, not stored: memory stays bounded)."""
    fields: dict[int, list[int | bytes]] = {}
    for count, (number, _, value) in enumerate(iter_fields(data), start=1):
        if count > MAX_FIELDS:
            raise ProtobufLimitError(f"a message with more than {MAX_FIELDS} fields")
        if number in _KEPT:
            fields.setdefault(number, []).append(value)
    return fields


def _first_text(fields: dict[int, list[int | bytes]], number: int) -> str | None:
    values = fields.get(number)
    return _text(values[0]) or None if values else None


def _first_int(fields: dict[int, list[int | bytes]], number: int, signed: bool = False) -> int | None:
    values = fields.get(number)
    if not values or not isinstance(values[0], int):
        return None
    return _signed(values[0]) if signed else values[0]


def _thread_name(fields: dict[int, list[int | bytes]], tid: int | None) -> str | None:
    for entry in fields.get(16, []):
        if not isinstance(entry, bytes):
            continue
        pair = _message(entry)
        key = _first_int(pair, 1)
        body = pair.get(2)
        if key == tid and body and isinstance(body[0], bytes):
            return _first_text(_message(body[0]), 2)
    return None


def parse_proto_tombstone(data: bytes, source: SourceRef) -> AndroidTombstone:
    """Decode a protobuf tombstone; ProtobufError when the bytes are not one."""
    fields = _message(data)
    if not any(n in fields for n in (2, 5, 9, 10)):
        raise ProtobufError("no tombstone fields found")
    command_line = [_text(v) for v in fields.get(9, []) if isinstance(v, bytes)]
    signal = _message(fields[10][0]) if fields.get(10) and isinstance(fields[10][0], bytes) else {}
    causes = [_first_text(_message(v), 1) for v in fields.get(15, []) if isinstance(v, bytes)]
    tid = _first_int(fields, 6)
    raw_time = _first_text(fields, 4)
    process = command_line[0] if command_line else None
    fault = _first_int(signal, 9)
    arch = _first_int(fields, 1)
    return AndroidTombstone(
        source=source,
        process_name=process,
        executable=executable_of(process),
        command_line=command_line,
        thread_name=_thread_name(fields, tid),
        pid=_first_int(fields, 5) or 0,  # proto3: an absent number is 0 (uid 0 is root)
        tid=tid or 0,
        uid=_first_int(fields, 7) or 0,
        selinux_label=_first_text(fields, 8),
        signal=_first_int(signal, 1, signed=True) or 0 if signal else None,
        signal_name=_first_text(signal, 2),
        signal_code=_first_int(signal, 3, signed=True) or 0 if signal else None,
        signal_code_name=_first_text(signal, 4),
        fault_address=f"0x{fault:x}" if fault is not None else None,
        abort_message=_first_text(fields, 14),
        cause="; ".join(c for c in causes if c) or None,
        build_fingerprint=_first_text(fields, 2),
        abi=ARCH.get(arch if arch is not None else 0),
        timestamp=parse_time(raw_time),
        timestamp_raw=raw_time,
        format="protobuf",
    )
