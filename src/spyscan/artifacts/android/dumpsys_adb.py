"""``dumpsys adb``: whether a computer is connected over ADB and which computers' keys are trusted."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import NamedTuple

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.abx import ABX_MAGIC, AbxError, parse_abx
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.base import Evidence
from spyscan.records.android_adb import AdbTrustedKey
from spyscan.records.base import SourceRef
from spyscan.texts import N_
from spyscan.timeutil import ANDROID_FLOOR, from_unix_ms
from spyscan.values import to_int

_KEY = re.compile(r"^(?P<key>[A-Za-z0-9+/]{40,}={0,2})(?:\s+(?P<comment>\S.*))?$")
_SETTING = re.compile(r"^[a-z_]+[={]")
_XML_KEY = re.compile(r'<adbKey key="(?P<key>[A-Za-z0-9+/]+={0,2})(?: (?P<comment>[^"]*))?"'
                      r'(?: lastConnection="(?P<last>\d+)")?')
_ESCAPE = re.compile(rb"\\x([0-9a-f]{2})")
_KEYSTORE_LIMIT = 4 << 20  # bytes of a binary keystore read from a dumpsys section
# A keystore ABX printed by dumpsys went through a lossy UTF-8 decode on the phone: every byte >= 0x80
# became U+FFFD. Key strings survive; a lastConnection long survives only if all its 8 bytes were < 0x80.
_LOSSY_REPLACED = "\ufffd".encode()
_LOSSY_KEY = re.compile(rb"(?P<key>[A-Za-z0-9+/]{40,}={0,2})(?: (?P<comment>[\x21-\x7e]+))?")
_LOSSY_LAST = re.compile(re.escape(_LOSSY_REPLACED) + rb"(?:[\x00-\x7f]{2}|" + re.escape(_LOSSY_REPLACED * 2)
                         + rb"\x00\x0elastConnection)(?P<last>[\x00-\x7f]{8})")


class KeystoreEntry(NamedTuple):
    key: str  # base64 public key
    comment: str | None  # user@host
    last_connection_ms: int | None


def keystore_entries_from_abx(data: bytes) -> list[KeystoreEntry]:
    """The ``adbKey`` entries of a binary keystore (``adb_temp_keys.xml``); raises ``AbxError`` if malformed."""
    entries = []
    for element in parse_abx(data).iter("adbKey"):
        text = element.attributes.get("key")
        if not isinstance(text, str) or not text:
            continue
        key, _, comment = text.partition(" ")
        last = element.attributes.get("lastConnection")
        entries.append(KeystoreEntry(key, comment or None,
                                     last if isinstance(last, int) and not isinstance(last, bool) else None))
    return entries


def _lossy_string(data: bytes, start: int) -> bytes | None:
    """The string starting at ``start`` whose u16 length precedes it (low byte possibly lost)."""
    if start >= 3 and data[start - 3:start] == _LOSSY_REPLACED and start >= 4 and data[start - 4] < 0x80:
        longest = data[start - 4] * 256 + 0xFF  # low byte lost: between +0x80 and +0xFF
        end = start
        while end < len(data) and end - start < longest and 0x20 <= data[end] < 0x7F:
            end += 1
        return data[start:end] if end - start >= longest - 0x7F else None
    if start >= 2 and data[start - 1] < 0x80 and data[start - 2] < 0x80:
        end = start + data[start - 2] * 256 + data[start - 1]
        text = data[start:end]
        return text if end <= len(data) and all(0x20 <= b < 0x7F for b in text) else None
    return None


def keystore_entries_from_lossy_abx(data: bytes) -> list[KeystoreEntry]:
    """Best effort on a binary keystore whose bytes >= 0x80 were replaced by U+FFFD (``dumpsys adb``)."""
    entries = []
    for match in _LOSSY_KEY.finditer(data):
        for start in (match.start(), match.start() + 1):  # the length's low byte may look like base64
            text = _lossy_string(data, start)
            if text and (key := _LOSSY_KEY.fullmatch(text.split(b" ", 1)[0])):
                break
        else:
            continue
        after = _LOSSY_LAST.match(data, start + len(text))
        last = int.from_bytes(after["last"], "big", signed=True) if after else None
        comment = text.split(b" ", 1)[1].decode("ascii") if b" " in text else None
        entries.append(KeystoreEntry(key["key"].decode("ascii"), comment or None, last))
    return entries


def keystore_entries(data: bytes) -> list[KeystoreEntry]:
    """Entries of a keystore given as bytes: binary (ABX) when it starts with the magic, else text XML."""
    if data.startswith(ABX_MAGIC):
        try:
            return keystore_entries_from_abx(data)
        except AbxError:
            return keystore_entries_from_lossy_abx(data)
    return [KeystoreEntry(m["key"], m["comment"], to_int(m["last"]) if m["last"] else None)
            for m in _XML_KEY.finditer(data.decode("utf-8", errors="replace"))]


def _unescape(lines: list[str]) -> bytes:
    """The bytes behind section lines (undecodable bytes were escaped as ``\\xNN`` by the splitter)."""
    data = "\n".join(lines).encode("utf-8", errors="surrogateescape")
    return _ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), data)


def parse_adb(section: DumpsysSection) -> Iterator[AdbTrustedKey]:
    connected: bool | None = None
    last_received: str | None = None
    keys: dict[str, tuple[int, str | None]] = {}
    last_connection: dict[str, int | None] = {}
    in_keys = False
    binary: list[str] = []  # lines of a binary keystore, from its magic to the end of the section
    binary_line = 0
    binary_size = 0
    for number, line in section.lines():
        if binary and binary_size < _KEYSTORE_LIMIT:
            binary.append(line)
            binary_size += len(line) + 1
            continue
        if "keystore=ABX" in line:
            binary_line = number
            binary.append(line.split("keystore=", 1)[1])
            binary_size = len(binary[0])
            continue
        stripped = line.strip()
        if stripped.startswith("connected_to_adb="):
            connected = stripped.endswith("true")
        elif stripped.startswith("last_key_received="):
            last_received = stripped.split("=", 1)[1] or None
        if stripped.startswith("user_keys="):
            in_keys = True
            stripped = stripped[len("user_keys="):]
        elif not stripped or _SETTING.match(stripped):
            in_keys = False
        if in_keys and (match := _KEY.match(stripped)):
            keys.setdefault(match["key"], (number, match["comment"]))
        for xml in _XML_KEY.finditer(line):
            keys.setdefault(xml["key"], (number, xml["comment"]))
            if xml["last"]:
                last_connection[xml["key"]] = to_int(xml["last"])
    if binary:
        for entry in keystore_entries(_unescape(binary)):
            keys.setdefault(entry.key, (binary_line, entry.comment))
            if entry.last_connection_ms is not None:
                last_connection.setdefault(entry.key, entry.last_connection_ms)
    for key, (number, comment) in keys.items():
        yield AdbTrustedKey(
            source=SourceRef(file=section.file, line=number, key=section.name),
            key_sha256=hashlib.sha256(key.encode("ascii")).hexdigest(), comment=comment,
            last_connection=from_unix_ms(last_connection.get(key), ANDROID_FLOOR),
            last_connection_raw=last_connection.get(key),
            connected_to_adb=connected, last_key_received=last_received,
        )


class DumpsysAdb(Artifact):
    id = "android.dumpsys.adb"
    kinds = ("androidqf", "bugreport")
    same_data = "dumpsys:adb"
    title = N_("ADB trusted keys (dumpsys adb)")
    records = (AdbTrustedKey,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AdbTrustedKey]:
        yield from parse_adb(require_section(evidence, "adb", log=log))
