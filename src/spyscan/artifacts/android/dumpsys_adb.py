"""``dumpsys adb``: whether a computer is connected over ADB and which computers' keys are trusted."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.base import Evidence
from spyscan.records.android_adb import AdbTrustedKey
from spyscan.records.base import SourceRef
from spyscan.timeutil import from_unix_ms

_KEY = re.compile(r"^(?P<key>[A-Za-z0-9+/]{40,}={0,2})(?:\s+(?P<comment>\S.*))?$")
_SETTING = re.compile(r"^[a-z_]+[={]")
_XML_KEY = re.compile(r'<adbKey key="(?P<key>[A-Za-z0-9+/]+={0,2})(?: (?P<comment>[^"]*))?"'
                      r'(?: lastConnection="(?P<last>\d+)")?')


def parse_adb(section: DumpsysSection) -> Iterator[AdbTrustedKey]:
    connected: bool | None = None
    last_received: str | None = None
    keys: dict[str, tuple[int, str | None]] = {}
    last_connection: dict[str, int] = {}
    in_keys = False
    for number, line in section.lines():
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
                last_connection[xml["key"]] = int(xml["last"])
    for key, (number, comment) in keys.items():
        yield AdbTrustedKey(
            source=SourceRef(file=section.file, line=number, key=section.name),
            key_sha256=hashlib.sha256(key.encode("ascii")).hexdigest(), comment=comment,
            last_connection=from_unix_ms(last_connection[key]) if key in last_connection else None,
            connected_to_adb=connected, last_key_received=last_received,
        )


class DumpsysAdb(Artifact):
    id = "android.dumpsys.adb"
    kinds = ("androidqf", "bugreport")
    title = "ADB trusted keys (dumpsys adb)"
    records = (AdbTrustedKey,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AdbTrustedKey]:
        yield from parse_adb(require_section(evidence, "adb", log=log))
