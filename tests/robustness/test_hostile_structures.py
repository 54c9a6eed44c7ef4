"""Structured formats from the evidence are read within bounds: plists (depth, object count, cycles),
NSKeyedArchiver graphs (cycles, depth, expansion), protobuf tombstones, ABX, JSON depth and NDJSON lines.

Each hostile input ends fast with a clear one-line error of the reader, which the artifacts turn into a
warning or the ``truncated`` status (see ``test_hostile_structures_e2e.py`` for the engine level and
``bounded.py`` for time and memory measured in a child process). docs/robustness.md, "Structures".
"""

from __future__ import annotations

import io
import math
import plistlib
import struct
import time
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spyscan.artifacts.android.bugreport_tombstone_proto import ProtobufError, ProtobufLimitError, parse_proto_tombstone
from spyscan.errors import EvidenceError
from spyscan.evidence import abx
from spyscan.evidence.ios_backup import fileinfo
from spyscan.evidence.jsonio import JsonError, JsonLimitError, LineNotes, decode_json, ndjson_values
from spyscan.evidence.nska import ArchiveLimits, check_archive
from spyscan.evidence.plist import PlistError, PlistLimitError, PlistLimits, load_plist
from spyscan.records.base import SourceRef
from tests.builders.bugreport import _field, proto_tombstone
from tests.robustness import plists as P

SMALL = PlistLimits(max_depth=50, max_objects=10_000)


def _fast(seconds: float = 2.0) -> Any:
    """Assert the block ran within ``seconds`` (generous for a loaded 2-core machine)."""

    class Clock:
        def __enter__(self) -> None:
            self.started = time.monotonic()

        def __exit__(self, *exc: object) -> None:
            elapsed = time.monotonic() - self.started
            assert elapsed < seconds, f"took {elapsed:.1f} s"

    return Clock()


# -- property lists ----------------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)  # what XML can hold
plist_values = st.recursive(
    st.one_of(TEXT, st.integers(min_value=-(2 ** 63), max_value=2 ** 64 - 1), st.booleans(),
              st.floats(allow_nan=False), st.binary(max_size=20),
              st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
                  lambda d: d.replace(microsecond=0))),
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(TEXT, children, max_size=5)),
    max_leaves=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=plist_values, binary=st.booleans())
def test_the_bounded_reader_reads_what_plistlib_writes_as_plistlib_does(value: Any, binary: bool) -> None:
    data = plistlib.dumps(value, fmt=plistlib.FMT_BINARY if binary else plistlib.FMT_XML)
    try:
        expected = plistlib.loads(data)
    except Exception:  # plistlib writes some text (U+FFFE) that XML cannot hold: both readers refuse it
        with pytest.raises(PlistError):
            load_plist(data)
        return
    assert load_plist(data) == expected


@pytest.mark.parametrize(("data", "error"), [
    (P.self_containing(), "contains itself (a reference cycle)"),
    (P.cycle_of(50), "(a reference cycle)"),
    (P.chain(100_000), "nests deeper than 200 levels"),
    (P.doubling(64), "holds more than 2000000 values"),  # 65 objects, 2^64 leaves once expanded
    (P.bplist([P.array()], declared=1 << 40), "declares 1099511627776 objects"),
    (P.xml_nested(1_000_000), "nests deeper than 200 levels"),
    (P.xml_entities(), "declares an entity (refused)"),
    (b"bplist00" + bytes(16) + struct.pack(">6xBBQQQ", 1, 1, 5, 0, 10 ** 9), "impossible trailer"),
    (b"bplist00" + b"\x00" * 40, "offset size 0"),
    (b"<plist><dict><key>a</key></dict></plist>", "key without a value"),
])
def test_hostile_plists_are_refused_fast(data: bytes, error: str) -> None:
    with _fast(), pytest.raises(PlistError, match=error.replace("(", r"\(").replace(")", r"\)")) as caught:
        load_plist(data)
    assert "\n" not in str(caught.value)
    limit = any(word in error for word in ("deeper", "more than", "declares 1"))
    assert isinstance(caught.value, PlistLimitError) == limit


def test_plistlib_itself_would_loop_on_a_cycle_and_recurse_on_depth() -> None:
    """Why the project reads plists itself: what plistlib returns or raises on the same inputs."""
    looped = plistlib.loads(P.self_containing())
    assert looped[0] is looped  # a walker over it never ends
    with pytest.raises(Exception):  # noqa: B017 - RecursionError or InvalidFileException by version
        plistlib.loads(P.chain(100_000))


def test_the_limits_are_configurable() -> None:
    assert load_plist(P.chain(50), SMALL) is not None
    with pytest.raises(PlistLimitError):
        load_plist(P.chain(51), SMALL)
    with pytest.raises(PlistLimitError):
        load_plist(P.doubling(14), SMALL)  # 2^14 = 16,384 leaves > 10,000


def test_a_shared_object_deep_inside_counts_its_depth_on_every_path() -> None:
    # object 0 = [1, 2]; 1 = a 30-deep chain ending in 31; 2 = [1] at depth 1: the chain is reused one deeper
    depth = SMALL.max_depth - 1
    objects = [P.array(1, depth + 1), *[P.array(i + 2) for i in range(depth - 1)], P.array(), P.array(1)]
    data = P.bplist(objects)
    with pytest.raises(PlistLimitError, match="nests deeper"):
        load_plist(data, SMALL)


def test_a_value_that_cannot_be_converted_costs_that_value_only() -> None:
    data = P.bplist([P.array(1, 2, 3), P.date(1e300), P.date(math.nan), P.date(700_000_000)])
    far, nan, ok = load_plist(data)
    assert far == 1e300 and math.isnan(nan)  # stored Cocoa seconds, for the field converters to keep raw
    assert ok == datetime(2023, 3, 8, 20, 26, 40)
    xml = (b"<plist><dict><key>d</key><date>0000-01-01T00:00:00Z</date><key>i</key><integer>12abc</integer>"
           b"<key>j</key><integer>" + b"9" * 5000 + b"</integer><key>ok</key><integer>0x10</integer></dict></plist>")
    parsed = load_plist(xml)
    assert parsed["d"] == "0000-01-01T00:00:00Z" and parsed["i"] == "12abc" and parsed["ok"] == 16
    assert parsed["j"] == "9" * 5000
    with pytest.raises(ValueError):
        plistlib.loads(xml)  # plistlib loses the whole file for one bad date


# -- NSKeyedArchiver ---------------------------------------------------------------------------------


def _archive_top(objects: list[bytes], root: int = 0) -> Any:
    return load_plist(P.archive(objects, root))


def test_archive_graph_checks() -> None:
    mbfile_like = _archive_top([P.dictionary([]), P.ascii_string("x")])
    check_archive(mbfile_like)
    cyclic = [P.dictionary([]) for _ in range(2)]
    # archive object 0 = {"k": UID(1)}, 1 = {"k": UID(0)}: keys and UIDs are extra plist objects
    top = _archive_top(cyclic)
    top["$objects"][0] = {"k": plistlib.UID(1)}
    top["$objects"][1] = {"k": plistlib.UID(0)}
    with pytest.raises(PlistError, match="refers back to itself"):
        check_archive(top)
    top["$objects"] = [{"n": plistlib.UID(i + 1)} for i in range(100)] + [{}]
    with pytest.raises(PlistLimitError, match="nest deeper than 64"):
        check_archive(top)
    top["$objects"] = [{"a": plistlib.UID(i + 1), "b": plistlib.UID(i + 1)} for i in range(40)] + [{}]
    with _fast(), pytest.raises(PlistLimitError, match="expands to more than"):
        check_archive(top, ArchiveLimits(max_depth=100))
    top["$objects"] = [{"a": plistlib.UID(7)}]
    with pytest.raises(PlistError, match="refers to object 7 of 1"):
        check_archive(top)


def _blob(objects: list[Any], top: dict[str, Any] | None = None) -> bytes:
    archive = {"$archiver": "NSKeyedArchiver", "$version": 100000, "$top": top or {"root": plistlib.UID(0)},
               "$objects": objects}
    return plistlib.dumps(archive, fmt=plistlib.FMT_BINARY)


def test_a_hostile_mbfile_blob_is_one_unreadable_row_not_a_hang() -> None:
    """The general decoder (``nska-deserialize``, used when the archive is not the plain MBFile shape) only
    sees archives whose graph passed the check: 2^40 expansions and a cycle are refused before it runs."""
    doubling = [[plistlib.UID(i + 1), plistlib.UID(i + 1)] for i in range(20)] + [[]]  # 2^20 paths
    with _fast(), pytest.raises(EvidenceError, match="unreadable file metadata blob: NSKeyedArchiver archive expands"):
        fileinfo._decode_general(_blob(doubling))
    with _fast(), pytest.raises(EvidenceError, match="a cycle"):
        fileinfo._decode_general(_blob([[plistlib.UID(1)], [plistlib.UID(0)]]))
    deep = [[plistlib.UID(i + 1)] for i in range(500)] + [[]]
    with _fast(), pytest.raises(EvidenceError, match="nest deeper than 32"):
        fileinfo._decode_general(_blob(deep))


def test_nska_deserialize_state_is_reset_between_archives() -> None:
    import nska_deserialize

    objects = ["$null", {"Size": 5, "Inner": plistlib.UID(2), "$class": plistlib.UID(3)},
               {"Mode": 1, "$class": plistlib.UID(3)}, {"$classname": "MBFile", "$classes": ["MBFile"]}]
    top = {"file": plistlib.UID(1)}  # not the plain shape: decoded by nska-deserialize
    nska_deserialize.rec_uids.append(2)  # as an exception in an earlier decode leaves it
    decoded = fileinfo._decode_general(_blob(objects, top))
    assert decoded["file"]["Size"] == 5 and decoded["file"]["Inner"] == {"Mode": 1}  # not dropped


# -- protobuf tombstones ------------------------------------------------------------------------------


def test_protobuf_tombstone_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    from spyscan.artifacts.android import bugreport_tombstone_proto as proto

    good = proto_tombstone(process="/system/bin/x", pid=1, tid=2, uid=0, signal=11, signal_name="SIGSEGV")
    assert parse_proto_tombstone(good, SourceRef(file="t.pb")).process_name == "/system/bin/x"
    monkeypatch.setattr(proto, "MAX_FIELDS", 1000)
    with _fast(), pytest.raises(ProtobufLimitError, match="more than 1000 fields"):
        parse_proto_tombstone(good + _field(99, 1) * 2000, SourceRef(file="t.pb"))
    huge_length = b"\x12" + b"\xff" * 9 + b"\x01"  # field 2, length 2^64-1
    with pytest.raises(ProtobufError, match="runs past the end"):
        parse_proto_tombstone(huge_length, SourceRef(file="t.pb"))
    with pytest.raises(ProtobufError, match="varint longer"):
        parse_proto_tombstone(b"\x08" + b"\xff" * 20, SourceRef(file="t.pb"))


# -- ABX ----------------------------------------------------------------------------------------------


def _abx_element(tag: str, attributes: int = 0, texts: int = 0) -> bytes:
    out = bytearray(abx.ABX_MAGIC)
    out += bytes([abx.START_DOCUMENT | abx.TYPE_NULL << 4])
    name = tag.encode()
    out += bytes([abx.START_TAG | abx.TYPE_STRING << 4]) + struct.pack(">H", len(name)) + name
    first = True
    for _ in range(attributes):
        out += bytes([abx.ATTRIBUTE | abx.TYPE_INT << 4])
        out += struct.pack(">H", 0xFFFF) + struct.pack(">H", 1) + b"a" if first else struct.pack(">H", 0)
        out += struct.pack(">i", 1)
        first = False
    for _ in range(texts):
        out += bytes([abx.TEXT | abx.TYPE_STRING << 4]) + struct.pack(">H", 4) + b"text"
    out += bytes([abx.END_TAG | abx.TYPE_STRING << 4]) + struct.pack(">H", len(name)) + name
    out += bytes([abx.END_DOCUMENT | abx.TYPE_NULL << 4])
    return bytes(out)


def test_abx_bounds() -> None:
    assert abx.parse_abx(_abx_element("keys", attributes=3)).attributes == {"a": 1}
    with _fast(), pytest.raises(abx.AbxLimitError, match="more than 1000 attributes"):
        abx.parse_abx(_abx_element("keys", attributes=5000), abx.AbxLimits(max_attributes=1000))
    with _fast(5.0):  # 400,000 text pieces: joined once (it was quadratic: ~3 TB of copying)
        element = abx.parse_abx(_abx_element("t", texts=400_000), abx.AbxLimits(max_text=8 << 20))
    assert len(element.text) == 1_600_000
    deep = abx.ABX_MAGIC + (bytes([abx.START_TAG | abx.TYPE_STRING << 4]) + b"\x00\x01a") * 1000
    with pytest.raises(abx.AbxLimitError, match="nests deeper than 64"):
        abx.parse_abx(deep)


# -- JSON and NDJSON ----------------------------------------------------------------------------------


def test_json_depth_is_a_clear_error_not_a_recursion_error() -> None:
    with _fast():
        for data in (b"[" * 100_000, b"[" * 5000 + b"]" * 5000, b'{"a":' * 3000 + b"1" + b"}" * 3000):
            with pytest.raises(JsonLimitError, match="nested too deep"):
                decode_json(data)
    with pytest.raises(JsonError, match="not valid JSON"):
        decode_json(b"[1,")
    with pytest.raises(JsonError):
        decode_json(b"1" + b"0" * 5000)  # an integer past what msgspec reads


def test_ndjson_lines_are_bounded_and_never_held_whole() -> None:
    endless = b"x" * (8 << 20)  # one 8 MiB line without a line break
    stream = io.BytesIO(b'{"a":1}\n' + b"[" * 5000 + b"\n" + endless + b"\nnot json\n" + endless + b"\n{\"b\":2}")
    notes = LineNotes()
    with _fast():
        values = list(ndjson_values(stream, notes, max_line=1 << 20))
    assert values == [(1, {"a": 1}), (6, {"b": 2})]
    assert (notes.long, notes.deep, notes.bad, notes.values) == (2, 1, 1, 2)
    assert notes.limited and "2 line(s) longer than 1048576 bytes and 1 value(s) nested too deep" in \
        notes.limit_message("f.json")
