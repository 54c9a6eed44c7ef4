"""iOS App Privacy Report exports: the NDJSON file an iPhone saves from Settings, or a folder of them.

Settings → Privacy & Security → App Privacy Report → share button saves
``App_Privacy_Report_v4_<date>.ndjson``: one JSON object per line, ``"type": "access"`` (an app or
process used a sensor or personal data: ``accessor{identifier, identifierType}``, ``category``,
``identifier`` (one UUID per access interval), ``kind`` ``intervalBegin``/``intervalEnd``,
``timeStamp``) or ``"type": "networkActivity"`` (an app contacted a domain: ``bundleID``, ``domain``,
``firstTimeStamp``, ``timeStamp``, ``hits``, ``initiatedType`` ``AppInitiated``/``NonAppInitiated``,
``context`` (the website shown in the app when the contact was not the app's own), ``domainOwner``,
``domainType``, ``domainClassification``). Times are ISO 8601 with the phone's UTC offset. Sources:
Apple's developer article "Inspecting app activity data" and a real export (plaso's test data,
``ios_app_privacy_report.ndjson``); see docs/input-formats.md, section "App Privacy Report".

Reading is bounded: lines longer than ``MAX_LINE`` bytes are skipped (a real line is under 1 KiB),
and at most ``MAX_RECORDS`` lines per file are read; past that the artifact stops with the status
``truncated`` (the records read so far are kept).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spyscan.errors import BudgetExceeded, EvidenceError
from spyscan.evidence.base import Evidence
from spyscan.evidence.custody import InputFile, sha256_file
from spyscan.evidence.jsonio import JsonError, JsonLimitError, decode_json
from spyscan.texts import N_, tr

SUFFIXES = (".ndjson", ".json", ".jsonl", ".txt")
TYPES = ("access", "networkActivity")
MAX_LINE = 64 * 1024
MAX_RECORDS = 1_000_000
MAX_FILES = 1000
_PEEK = 8192


@dataclass(frozen=True)
class ReportLine:
    file: str  # path relative to the input (the file name for a single-file input)
    line: int
    data: dict[str, Any]


@dataclass
class ReadNotes:
    """What was odd while reading (for the artifact's warnings)."""

    bad_lines: int = 0  # not JSON objects
    long_lines: int = 0  # over MAX_LINE bytes, skipped
    deep_lines: int = 0  # JSON nested too deep to read, skipped
    other_types: int = 0  # objects of a type other than access/networkActivity
    unterminated: int = 0  # files whose last line has no line break
    empty: list[str] = field(default_factory=list)  # files with no access/networkActivity line at all


def _looks_like_report(first: bytes) -> bool:
    line = first.lstrip().split(b"\n", 1)[0]
    if not line.startswith(b"{"):
        return False
    try:
        data = decode_json(line)
    except JsonError:  # not JSON, or nested too deep
        return False
    return isinstance(data, dict) and data.get("type") in TYPES and "timeStamp" in data


def _peek(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(_PEEK)


class IOSPrivacyReportEvidence(Evidence):
    kind = "ios-privacy-report"
    platform = "ios"
    key_files = N_("an App_Privacy_Report_*.ndjson saved from Settings, or a folder of them")
    label = N_("iOS App Privacy Report saved from Settings (App_Privacy_Report_*.ndjson, or a folder of them)")
    priority = 36

    def __init__(self, path: Path, workdir: Path, secrets: Any = None) -> None:
        super().__init__(path, workdir, secrets)
        self._files: list[str] = []
        self._hashed: set[str] = set()

    @classmethod
    def detect(cls, path: Path) -> bool:
        if path.is_file():
            return path.suffix.lower() in SUFFIXES and _looks_like_report(_peek(path))
        if path.is_dir():
            return any(_looks_like_report(_peek(p)) for p in cls._candidates(path)[:20])
        return False

    @staticmethod
    def _candidates(folder: Path) -> list[Path]:
        return sorted(p for p in folder.iterdir()
                      if p.is_file() and not p.is_symlink() and p.suffix.lower() in SUFFIXES
                      and not p.name.startswith("._"))

    def open(self) -> None:
        super().open()
        if self.path.is_file():
            self._files = [self.path.name]
            return
        # every .ndjson file (the suffix the phone writes) is read, damaged or not; other suffixes when they look right
        found = [p.name for p in self._candidates(self.path)[:MAX_FILES]
                 if p.suffix.lower() == ".ndjson" or _looks_like_report(_peek(p))]
        if not found:
            raise EvidenceError(tr('%(self)s holds no App Privacy Report (.ndjson lines of type access or '
                                   'networkActivity)', self=self.path))
        self._files = found

    def report_files(self) -> list[str]:
        return list(self._files)

    def lines(self, notes: ReadNotes) -> Iterator[ReportLine]:
        """Every access/networkActivity object of every report file, in file and line order."""
        for rel in self._files:
            yield from self._file_lines(rel, notes)

    def _file_lines(self, rel: str, notes: ReadNotes) -> Iterator[ReportLine]:
        path = self.resolve(rel)
        if rel not in self._hashed:  # the custody hash of the whole file, once per process
            size, digest = sha256_file(path)
            self.inputs.add(InputFile(path=rel, size=size, sha256=digest))
            self._hashed.add(rel)
        count = 0
        given = 0
        with path.open("rb") as fh:
            number = 0
            while True:
                raw = fh.readline(MAX_LINE + 1)
                if not raw:
                    break
                number += 1
                if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                    notes.long_lines += 1
                    while raw and not raw.endswith(b"\n"):  # skip the rest of the over-long line
                        raw = fh.readline(MAX_LINE + 1)
                    continue
                if not raw.endswith(b"\n"):
                    notes.unterminated += 1
                text = raw.strip()
                if not text:
                    continue
                count += 1
                if count > MAX_RECORDS:
                    raise BudgetExceeded(tr('%(rel)s: more than %(max_records)s lines; the rest was not read', rel=rel,
                                            max_records=MAX_RECORDS))
                try:
                    data = decode_json(text)
                except JsonLimitError:
                    notes.deep_lines += 1
                    continue
                except JsonError:
                    notes.bad_lines += 1
                    continue
                if not isinstance(data, dict):
                    notes.bad_lines += 1
                    continue
                if data.get("type") not in TYPES:
                    notes.other_types += 1
                    continue
                given += 1
                yield ReportLine(file=rel, line=number, data=data)
        if not given:
            notes.empty.append(rel)
