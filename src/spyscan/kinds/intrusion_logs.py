"""Android 16 intrusion-logging exports: a folder or a zip of newline-delimited JSON files.

Each line is a JSON object wrapping one event under its type key (``dns_event``, ``connect_event``,
``security_event``); a file may also hold one JSON array of such objects. Events repeated across
overlapping files are given once. Zips inside the export (the device writes one zip per download;
androidqf pulls them as they are) are opened too, up to ``NESTED_DEPTH`` levels, through the same
bounded ``Archive`` reader; their logs are named ``outer.zip::inner.txt``.
The device time zone comes from a ``timezone`` field of the
export (a line ``{"timezone": "Europe/Paris"}`` or ``metadata.json``) or from a ``getprop.txt``
next to the logs (``persist.sys.timezone``); it is only needed for times written without a zone.
See docs/input-formats.md, section "Intrusion logs".
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.archive import Archive
from spyscan.evidence.base import DEFAULT_READ_LIMIT, Evidence
from spyscan.evidence.custody import InputFile
from spyscan.evidence.jsonio import JsonError, JsonLimitError, LineNotes, Readable, decode_json, ndjson_values
from spyscan.evidence.secrets import Secrets
from spyscan.records.device import DeviceFacts
from spyscan.texts import N_, tr

EVENT_TYPES = ("dns_event", "connect_event", "security_event")
SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson", ".log")
TZ_KEYS = ("timezone", "time_zone", "device_timezone")
NESTED_DEPTH = 3
NESTED_SEP = "::"
ARRAY_LIMIT = 64 << 20  # bytes of a log written as one JSON array (NDJSON logs are streamed, any size)
_PEEK = 4096
_TZ_PROP = re.compile(r"^\[persist\.sys\.timezone\]: \[(?P<tz>[^\]]*)\]", re.MULTILINE)


@dataclass(frozen=True)
class IntrusionEvent:
    type: str  # "dns_event", "connect_event" or "security_event"
    data: dict[str, Any]
    file: str
    line: int


def _looks_like_log(first: bytes) -> bool:
    text = first.lstrip()
    if text.startswith(b"["):
        text = text[1:].lstrip()
    return text.startswith(b"{") and any(f'"{t}"'.encode() in text[:200] for t in EVENT_TYPES)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None


class IntrusionLogsEvidence(Evidence):
    kind = "intrusion-logs"
    platform = "android"
    key_files = N_("a folder or .zip of Android intrusion-logging NDJSON exports")
    label = N_("Android intrusion-logging export (folder or zip)")
    priority = 35

    def __init__(self, path: Path, workdir: Path, secrets: Secrets | None = None) -> None:
        super().__init__(path, workdir, secrets)
        self._archive: Archive | None = None
        self._archive_pid = 0
        self._logs: list[str] = []
        self.time_zone: ZoneInfo | None = None
        self.time_zone_source: str | None = None
        self.bad_lines = 0  # lines (or whole JSON files) that could not be decoded, in this process
        self.limited: list[str] = []  # what a budget skipped (lines too long, JSON too deep), one line per file
        self.empty_files: set[str] = set()  # log files with no content at all
        self._nested: dict[str, Path] = {}  # nested zip label ("a.zip", "a.zip::b.zip") -> private copy
        self._nested_open: dict[str, tuple[int, Archive]] = {}

    # -- detection -------------------------------------------------------------------------------
    @classmethod
    def detect(cls, path: Path) -> bool:
        if path.is_dir():
            for entry in sorted(path.iterdir()):
                if entry.is_file() and entry.suffix.lower() in SUFFIXES:
                    with entry.open("rb") as fh:
                        if _looks_like_log(fh.read(4096)):
                            return True
            return False
        if not (path.suffix.lower() == ".zip" and Archive.is_archive(path)):
            return False
        try:
            with Archive(path) as archive:
                for name in _candidate_names(list(archive.members())):
                    with archive.open(name) as fh:
                        if _looks_like_log(fh.read(4096)):
                            return True
        except (EvidenceError, KeyError):
            return False
        return False

    # -- life cycle ------------------------------------------------------------------------------
    def open(self) -> None:
        super().open()
        names = self._all_names()
        names += self._nested_names([n for n in names if n.lower().endswith(".zip")], depth=1)
        skip = ("getprop.txt", "metadata.json")
        self._logs = sorted(n for n in names if n.lower().endswith(SUFFIXES) and n.rsplit("/", 1)[-1] not in skip)
        if not self._logs:
            raise EvidenceError(tr('%(self)s holds no intrusion-log files (%(items)s)', self=self.path.name,
                                   items=', '.join(SUFFIXES)))
        self._find_time_zone(names)

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None
        for pid, archive in self._nested_open.values():
            if pid == os.getpid():
                archive.close()
        self._nested_open.clear()

    def _archive_handle(self) -> Archive:
        if self._archive is None or self._archive_pid != os.getpid():
            self._archive = Archive(self.path)
            self._archive.members()
            self._archive_pid = os.getpid()
        return self._archive

    def _all_names(self) -> list[str]:
        if self.path.is_file():
            return sorted(m.name for m in self._archive_handle().files())
        found = []
        for folder, dirs, files in os.walk(self.path, followlinks=False):
            dirs.sort()
            for name in files:
                full = Path(folder, name)
                if full.is_file() and not full.is_symlink():
                    found.append(full.relative_to(self.path).as_posix())
        return sorted(found)

    def _nested_names(self, zips: list[str], depth: int) -> list[str]:
        """Names of the files inside nested zips (``label::member``), opened into the work folder."""
        found: list[str] = []
        for label in zips:
            if depth > NESTED_DEPTH:
                raise EvidenceError(tr('%(label)s: zips nested more than %(nested_depth)s levels deep', label=label,
                                       nested_depth=NESTED_DEPTH))
            local = self._nested_copy(label)
            if not Archive.is_archive(local):
                continue
            self._nested[label] = local
            with Archive(local) as inner:
                members = sorted(m.name for m in inner.files())
            found += [f"{label}{NESTED_SEP}{m}" for m in members]
            found += self._nested_names([f"{label}{NESTED_SEP}{m}" for m in members if m.lower().endswith(".zip")],
                                        depth + 1)
        return found

    def _nested_copy(self, label: str) -> Path:
        """A local path for the nested zip ``label`` (extracted, bounded, into the work folder if needed)."""
        outer, sep, member = label.rpartition(NESTED_SEP)
        if not sep and self.path.is_dir():
            return self.path / label
        target = self.workdir / "nested-zips" / str(len(self._nested))
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        archive = self._archive_handle() if not sep else Archive(self._nested[outer])
        try:
            path, size, digest = archive.extract(member if sep else label, target)
        finally:
            if sep:
                archive.close()
        self.inputs.add(InputFile(path=label, size=size, sha256=digest))
        return path

    def _nested_archive(self, label: str) -> Archive:
        opened = self._nested_open.get(label)
        if opened is None or opened[0] != os.getpid():
            opened = (os.getpid(), Archive(self._nested[label]))
            self._nested_open[label] = opened
        return opened[1]

    def read_file(self, name: str, limit: int = DEFAULT_READ_LIMIT) -> bytes:
        if NESTED_SEP in name:
            label, _, inner_name = name.rpartition(NESTED_SEP)
            if label not in self._nested:
                raise ArtifactNotFound(name)
            nested = self._nested_archive(label)
            entry = nested.members().get(inner_name)
            if entry is None:
                raise ArtifactNotFound(name)
            if entry.size > limit:
                raise EvidenceError(tr('%(name)s is %(size)s bytes, over the limit of %(limit)s', name=name,
                                       size=entry.size, limit=limit))
            data = nested.read(inner_name)
            self.inputs.add(InputFile(path=name, size=len(data), sha256=hashlib.sha256(data).hexdigest()))
            return data
        if self.path.is_file():
            archive = self._archive_handle()
            member = archive.members().get(name)
            if member is None:
                raise ArtifactNotFound(name)
            if member.size > limit:
                raise EvidenceError(tr('%(name)s is %(size)s bytes, over the limit of %(limit)s', name=name,
                                       size=member.size, limit=limit))
            data = archive.read(name)
            self.inputs.add(InputFile(path=name, size=len(data), sha256=hashlib.sha256(data).hexdigest()))
            return data
        return self.read_bytes(name, limit)

    # -- time zone -------------------------------------------------------------------------------
    def _find_time_zone(self, names: list[str]) -> None:
        for name in names:
            if name.rsplit("/", 1)[-1] == "metadata.json":
                try:
                    data = decode_json(self.read_file(name, 1 << 20))
                except (JsonError, EvidenceError):
                    continue
                if isinstance(data, dict):
                    self._set_zone(next((str(data[k]) for k in TZ_KEYS if data.get(k)), None), name)
        getprops = [n for n in names if n.rsplit("/", 1)[-1] == "getprop.txt"]
        if self.path.is_dir() and (self.path.parent / "getprop.txt").is_file():
            getprops.append("../getprop.txt")  # an androidqf folder holding intrusion-logs/
        for name in getprops:
            if self.time_zone is not None:
                break
            try:
                text = (self.read_file(name, 4 << 20) if name != "../getprop.txt"
                        else (self.path.parent / "getprop.txt").read_bytes()).decode("utf-8", errors="replace")
            except (OSError, ArtifactNotFound, EvidenceError):
                continue
            match = _TZ_PROP.search(text)
            if match:
                self._set_zone(match.group("tz"), name)

    def _set_zone(self, name: str | None, source: str) -> None:
        zone = _zone(name)
        if zone is not None and self.time_zone is None:
            self.time_zone, self.time_zone_source = zone, source

    def device_info(self) -> DeviceFacts:
        facts = DeviceFacts(platform="android", details={"intrusion-log files": str(len(self._logs))})
        if self.time_zone is not None:
            facts.timezone = str(self.time_zone)
            facts.details["time zone"] = f"{self.time_zone} (from {self.time_zone_source})"
        return facts

    # -- events ----------------------------------------------------------------------------------
    def events(self, wanted: str) -> Iterator[IntrusionEvent]:
        """Every event of type ``wanted``, once (duplicates across files skipped), in file order."""
        if not self._logs:
            raise ArtifactNotFound(tr('no intrusion-log files'))
        seen: set[bytes] = set()
        for name in self._logs:
            for number, obj in self._objects(name):
                for zone_key in TZ_KEYS:
                    if isinstance(obj.get(zone_key), str):
                        self._set_zone(obj[zone_key], f"{name} line {number}")
                event_type, data = _unwrap(obj)
                if event_type != wanted or data is None:
                    continue
                try:
                    digest = hashlib.sha256(msgspec.json.encode(data, order="sorted")).digest()[:16]
                except RecursionError:  # read just below msgspec's nesting limit, encoded deeper in the stack
                    self.limited.append(f"{name} line {number}: an event nested too deep to read, skipped")
                    continue
                if digest in seen:
                    continue
                seen.add(digest)
                yield IntrusionEvent(type=event_type, data=data, file=name, line=number)

    def read_mark(self) -> tuple[int, int]:
        """Where the reading notes stand (``bad_lines``, number of ``limited`` messages), to tell what the
        next reads add."""
        return self.bad_lines, len(self.limited)

    def _open_stream(self, name: str) -> Any:
        """A bounded binary stream of the log ``name`` (a file, a zip member, a member of a nested zip)."""
        if NESTED_SEP in name:
            label, _, inner_name = name.rpartition(NESTED_SEP)
            if label not in self._nested:
                raise ArtifactNotFound(name)
            return self._nested_archive(label).open(inner_name)
        if self.path.is_file():
            return self._archive_handle().open(name)
        return (self.path / name).open("rb")

    def _objects(self, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """The JSON objects of one log: NDJSON streamed one bounded line at a time, or one JSON array.

        Every byte goes through the custody hash once; lines too long or too deep are skipped and named
        in ``limited`` (the artifacts then report ``truncated``), lines that are not JSON counted."""
        digest = hashlib.sha256()
        notes = LineNotes()
        try:
            with self._open_stream(name) as fh:
                head = fh.read(_PEEK)
                if head.lstrip().startswith(b"["):
                    data = head + fh.read(ARRAY_LIMIT + 1 - len(head))
                    digest.update(data)
                    notes.size += len(data)
                    yield from self._array_objects(name, data, fh, digest, notes)
                else:
                    for number, obj in ndjson_values(_Prefixed(head, fh), notes, digest.update):
                        if isinstance(obj, dict):
                            yield number, obj
                    if not (notes.values or notes.bad or notes.long or notes.deep):
                        self.empty_files.add(name)
        except KeyError as exc:
            raise ArtifactNotFound(name) from exc
        finally:
            self.inputs.add(InputFile(path=name, size=notes.size, sha256=digest.hexdigest()))
        self.bad_lines += notes.bad
        if notes.limited:
            self.limited.append(notes.limit_message(name))

    def _array_objects(self, name: str, data: bytes, fh: Readable, digest: Any,
                       notes: LineNotes) -> Iterator[tuple[int, dict[str, Any]]]:
        if len(data) > ARRAY_LIMIT:
            while block := fh.read(1 << 20):  # hash the rest for the custody log, without keeping it
                digest.update(block)
                notes.size += len(block)
            self.limited.append(f"{name}: a JSON array file larger than {ARRAY_LIMIT} bytes, not read")
            return
        try:
            items = decode_json(data)
        except JsonLimitError as exc:
            self.limited.append(f"{name}: {exc}, not read")
            return
        except JsonError:
            self.bad_lines += 1
            return
        for position, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                yield position + 1, item


class _Prefixed:
    """A stream giving ``head`` first, then the rest of ``fh`` (the bytes peeked at are not lost)."""

    def __init__(self, head: bytes, fh: Readable) -> None:
        self.head = head
        self.fh = fh

    def read(self, size: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            return head
        return self.fh.read(size)


def _candidate_names(names: list[str]) -> list[str]:
    """Log-like members at the top of a zip, or inside its single top-level folder."""
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    single = next(iter(tops)) if len(tops) == 1 and all("/" in n for n in names) else None
    found = []
    for name in names:
        depth = name.count("/")
        if name.lower().endswith(SUFFIXES) and (depth == 0 or (depth == 1 and single is not None)):
            found.append(name)
    return sorted(found)[:20]


def _unwrap(obj: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
    for key in EVENT_TYPES:
        value = obj.get(key)
        if isinstance(value, dict):
            return key, value
    kind = obj.get("event_type") or obj.get("type")
    if isinstance(kind, str) and kind in EVENT_TYPES:
        return kind, obj
    return None, None
