"""Android binary XML (ABX) parser and the binary adb keystore in ``dumpsys adb``."""

from __future__ import annotations

import contextlib
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spyscan.artifacts.android.dumpsys_adb import (
    keystore_entries,
    keystore_entries_from_lossy_abx,
    parse_adb,
)
from spyscan.evidence.abx import AbxError, AbxLimits, parse_abx
from spyscan.evidence.android_dumpsys import split_dumpsys_bytes

KEY_A = "QAAAA" + "x1Yz+/" * 120 + "Ab=="  # over 0x280 characters: its length's low byte is >= 0x80
KEY_B = "QAAAAB" + "k" * 60
LAST_A = 1_700_000_123_456  # bytes >= 0x80 in its big-endian form
LAST_B = 1_628_501_829_898


class AbxWriter:
    """A small ABX writer following the format (tags and attribute names interned)."""

    def __init__(self) -> None:
        self.out = bytearray(b"ABX\x00")
        self.table: dict[str, int] = {}

    def _utf(self, text: str) -> None:
        raw = text.encode()
        self.out += struct.pack(">H", len(raw)) + raw

    def _interned(self, text: str) -> None:
        if text in self.table:
            self.out += struct.pack(">H", self.table[text])
        else:
            self.table[text] = len(self.table)
            self.out += b"\xff\xff"
            self._utf(text)

    def token(self, command: int, kind: int) -> AbxWriter:
        self.out.append(command | kind << 4)
        return self

    def start_doc(self) -> AbxWriter:
        return self.token(0, 1)

    def end_doc(self) -> AbxWriter:
        return self.token(1, 1)

    def start(self, tag: str) -> AbxWriter:
        self.token(2, 3)._interned(tag)
        return self

    def end(self, tag: str) -> AbxWriter:
        self.token(3, 3)._interned(tag)
        return self

    def text(self, text: str) -> AbxWriter:
        self.token(4, 2)._utf(text)
        return self

    def attr_str(self, name: str, value: str) -> AbxWriter:
        self.token(15, 2)._interned(name)
        self._utf(value)
        return self

    def attr_int(self, name: str, value: int) -> AbxWriter:
        self.token(15, 6)._interned(name)
        self.out += struct.pack(">i", value)
        return self

    def attr_long(self, name: str, value: int) -> AbxWriter:
        self.token(15, 8)._interned(name)
        self.out += struct.pack(">q", value)
        return self

    def attr_bool(self, name: str, value: bool) -> AbxWriter:
        self.token(15, 12 if value else 13)._interned(name)
        return self

    def attr_bytes(self, name: str, value: bytes) -> AbxWriter:
        self.token(15, 4)._interned(name)
        self.out += struct.pack(">H", len(value)) + value
        return self


def keystore_abx(keys: list[tuple[str, int | None]]) -> bytes:
    writer = AbxWriter().start_doc().start("keyStore").attr_int("version", 1)
    for key, last in keys:
        writer.start("adbKey").attr_str("key", key)
        if last is not None:
            writer.attr_long("lastConnection", last)
        writer.end("adbKey")
    return bytes(writer.end("keyStore").end_doc().out)


def keystore_xml(keys: list[tuple[str, int | None]]) -> bytes:
    rows = "".join(f'<adbKey key="{k}"' + (f' lastConnection="{t}"' if t is not None else "") + " />\n"
                   for k, t in keys)
    return (f"<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<keyStore version=\"1\">\n{rows}"
            "</keyStore>\n").encode()


KEYS: list[tuple[str, int | None]] = [(f"{KEY_A} alice@laptop", LAST_A), (f"{KEY_B} bob@pc", LAST_B),
                                      (KEY_B.replace("k", "m"), None)]


def test_round_trip_keystore() -> None:
    root = parse_abx(keystore_abx(KEYS))
    assert root.tag == "keyStore" and root.attributes == {"version": 1}
    assert [(e.attributes["key"], e.attributes.get("lastConnection")) for e in root.iter("adbKey")] == KEYS


def test_values_text_and_nesting() -> None:
    data = bytes(AbxWriter().start_doc().start("a").attr_bool("t", True).attr_bool("f", False)
                 .attr_bytes("b", b"\x00\xff").start("b").text("hé").text("llo").end("b").start("b").end("b")
                 .end("a").end_doc().out) + b"trailing bytes are ignored"
    root = parse_abx(data)
    assert root.attributes == {"t": True, "f": False, "b": b"\x00\xff"}
    assert [c.text for c in root.children] == ["héllo", ""] and len(root.iter("b")) == 2


@pytest.mark.parametrize(("data", "message"), [
    (b"<?xml", "no ABX magic"),
    (b"ABX\x00", "no element"),
    (keystore_abx(KEYS)[:-9], "truncated|ends inside"),
    (b"ABX\x00\x32\x00\x05", "unknown interned string #5"),
    (bytes(AbxWriter().start("a").end("b").out), r"closes <b>"),
    (b"ABX\x00\x0b", "unknown token 0x0b"),
    (b"ABX\x00\x2f\xff\xff\x00\x01a\x00\x00", "attribute outside"),
    (bytes(AbxWriter().start("a").out) + b"\xef\x00\x00", "unknown value type 14"),
])
def test_malformed_input_raises_one_line_error(data: bytes, message: str) -> None:
    with pytest.raises(AbxError, match=message) as info:
        parse_abx(data)
    assert "\n" not in str(info.value)


def test_limits() -> None:
    deep = AbxWriter()
    for _ in range(10):
        deep.start("d")
    with pytest.raises(AbxError, match="deeper than 5"):
        parse_abx(bytes(deep.out), AbxLimits(max_depth=5))
    wide = AbxWriter().start("r")
    for _ in range(20):
        wide.start("c").end("c")
    with pytest.raises(AbxError, match="more than 10 elements"):
        parse_abx(bytes(wide.end("r").out), AbxLimits(max_elements=10))
    with pytest.raises(AbxError, match="exceeds 4 characters"):
        parse_abx(bytes(AbxWriter().start("r").text("abc").text("de").end("r").out), AbxLimits(max_text=4))


def _dumpsys(keystore: bytes) -> bytes:
    return (b"DUMP OF SERVICE adb:\n  debugging_manager={\n    connected_to_adb=true\n    keystore=" + keystore
            + b"\n  }\n--------- 0.001s was the duration of dumpsys adb, ending at: 2024-03-21 11:07:22\n")


def test_artifact_gives_the_same_records_for_binary_and_text_keystores() -> None:
    def records(keystore: bytes) -> list[tuple[str | None, str, datetime | None, bool | None]]:
        section = split_dumpsys_bytes(_dumpsys(keystore), "dumpsys.txt")["adb"]
        return [(r.comment, r.key_sha256, r.last_connection, r.connected_to_adb) for r in parse_adb(section)]

    binary, text = records(keystore_abx(KEYS)), records(keystore_xml(KEYS))
    assert binary == text
    assert [r[0] for r in binary] == ["alice@laptop", "bob@pc", None]
    assert binary[1][2] == datetime(2021, 8, 9, 9, 37, 9, 898000, tzinfo=UTC)
    assert keystore_entries(keystore_abx(KEYS)) == keystore_entries(keystore_xml(KEYS))


def _lossy(data: bytes) -> bytes:
    """What dumpsys prints: every byte >= 0x80 replaced by U+FFFD (a lossy UTF-8 decode on the phone)."""
    return b"".join("\ufffd".encode() if b >= 0x80 else bytes([b]) for b in data)


def test_lossy_keystore_keeps_keys_and_intact_times() -> None:
    entries = keystore_entries_from_lossy_abx(_lossy(keystore_abx(KEYS)))
    assert [(e.key, e.comment) for e in entries] == [(KEY_A, "alice@laptop"), (KEY_B, "bob@pc"),
                                                      (KEY_B.replace("k", "m"), None)]
    # LAST_A and LAST_B each have a byte >= 0x80: lost, never guessed
    assert [e.last_connection_ms for e in entries] == [None, None, None]
    intact = 0x0000_0123_4567_0123
    [entry] = keystore_entries_from_lossy_abx(_lossy(keystore_abx([(f"{KEY_B} eve@x", intact)])))
    assert (entry.key, entry.comment, entry.last_connection_ms) == (KEY_B, "eve@x", intact)


def test_mvt_sample_binary_keystore(mvt_samples: Path) -> None:
    path = mvt_samples / "android_data" / "dumpsys_adb.txt"
    if not path.is_file():
        pytest.skip("mvt sample dumpsys_adb.txt absent")
    raw = path.read_bytes()
    start = raw.index(b"keystore=ABX") + len(b"keystore=")
    entries = keystore_entries(raw[start:])
    assert [e.comment for e in entries] == ["user@linux"] and entries[0].key.startswith("QAAAAPUBsV")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutations_only_raise_abx_error(data: st.DataObject) -> None:
    original = bytearray(keystore_abx(KEYS[1:]))
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(original) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            original[at] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del original[at:at + data.draw(st.integers(1, 8))]
            if not original:
                break
        else:
            original[at:at] = data.draw(st.binary(min_size=1, max_size=8))
    with contextlib.suppress(AbxError):
        parse_abx(bytes(original))
    keystore_entries(bytes(original))  # never raises


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_after_magic_only_raise_abx_error(tail: bytes) -> None:
    with contextlib.suppress(AbxError):
        parse_abx(b"ABX\x00" + tail)
