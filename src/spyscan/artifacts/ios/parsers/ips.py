"""Apple ``.ips`` crash, jetsam and diagnostic reports.

Modern reports are one JSON header line (``bug_type``, ``timestamp``, ``app_name``, ``bundleID``,
``os_version``, ``incident_id`` ...) followed by a JSON body (``procName``, ``procPath``,
``bundleInfo.CFBundleIdentifier``, ``parentProc``, ``responsibleProc``, ``coalitionName`` and, for
jetsam events, a ``processes`` list). Older reports have the header line followed by a text body with
``Process:``, ``Path:``, ``Identifier:``, ``Parent Process:`` and ``Date/Time:`` lines. ``parse_ips``
accepts both and never raises on bad input: what it cannot read stays empty.
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec

from spyscan.values import to_int, to_items

JETSAM_BUG_TYPES = frozenset({"298"})
_TEXT_FIELDS = {
    "process": re.compile(r"^Process:\s+(.+?)(?:\s+\[(\d+)\])?\s*$", re.MULTILINE),
    "path": re.compile(r"^Path:\s+(.+?)\s*$", re.MULTILINE),
    "identifier": re.compile(r"^Identifier:\s+(.+?)\s*$", re.MULTILINE),
    "parent": re.compile(r"^Parent Process:\s+(.+?)(?:\s+\[\d+\])?\s*$", re.MULTILINE),
    "responsible": re.compile(r"^Responsible Process:\s+(.+?)(?:\s+\[\d+\])?\s*$", re.MULTILINE),
    "time": re.compile(r"^Date/Time:\s+(.+?)\s*$", re.MULTILINE),
}
_BUNDLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+$")


class ParsedIps(msgspec.Struct, frozen=True):
    bug_type: str | None = None
    time_raw: str | None = None
    process: str | None = None  # the report's main process name
    pid: int | None = None
    process_names: list[str] = []
    paths: list[str] = []
    bundle_ids: list[str] = []
    os_version: str | None = None
    incident_id: str | None = None
    readable: bool = True


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, a number past int()'s digits, or nested too deep
        return None


def _add(target: list[str], value: object) -> None:
    if isinstance(value, str):
        value = value.strip()
        if value and value not in target:
            target.append(value)


def _add_bundle(target: list[str], value: object) -> None:
    if isinstance(value, str) and _BUNDLE.match(value.strip()):
        _add(target, value)


def parse_ips(text: str) -> ParsedIps:
    head, _, body = text.partition("\n")
    header = _json(head)
    if not isinstance(header, dict):
        header = {}
        body = text
    names: list[str] = []
    paths: list[str] = []
    bundles: list[str] = []
    _add(names, header.get("app_name"))
    _add(names, header.get("name"))
    _add_bundle(bundles, header.get("bundleID"))
    time_raw = header.get("timestamp") if isinstance(header.get("timestamp"), str) else None
    process: str | None = None
    pid: int | None = None
    content = _json(body) if body.strip().startswith("{") else None
    if isinstance(content, dict):
        process = content.get("procName") if isinstance(content.get("procName"), str) else None
        pid = content.get("pid") if isinstance(content.get("pid"), int) else None
        for key in ("procName", "parentProc", "responsibleProc"):
            _add(names, content.get(key))
        for key in ("procPath",):
            _add(paths, content.get(key))
        info = content.get("bundleInfo")
        if isinstance(info, dict):
            _add_bundle(bundles, info.get("CFBundleIdentifier"))
        _add_bundle(bundles, content.get("coalitionName"))
        if isinstance(content.get("captureTime"), str) and time_raw is None:
            time_raw = content["captureTime"]
        for item in to_items(content.get("processes")):
            if isinstance(item, dict):
                _add(names, item.get("name"))
                _add_bundle(bundles, item.get("coalition") if isinstance(item.get("coalition"), str) else None)
        largest = content.get("largestProcess")
        _add(names, largest)
    elif body.strip():
        fields = {key: rx.search(body) for key, rx in _TEXT_FIELDS.items()}
        if fields["process"]:
            process = fields["process"].group(1)
            pid = to_int(fields["process"].group(2))
        for key in ("process", "parent", "responsible"):
            found = fields[key]
            if found is not None:
                _add(names, found.group(1))
        if fields["path"]:
            _add(paths, fields["path"].group(1))
        if fields["identifier"]:
            _add_bundle(bundles, fields["identifier"].group(1))
        if fields["time"] and time_raw is None:
            time_raw = fields["time"].group(1)
    elif not header:
        return ParsedIps(readable=False)
    if process is None and names:
        process = names[0]
    bug = header.get("bug_type")
    return ParsedIps(
        bug_type=str(bug) if isinstance(bug, str | int) else None,
        time_raw=time_raw, process=process, pid=pid, process_names=names, paths=paths, bundle_ids=bundles,
        os_version=header.get("os_version") if isinstance(header.get("os_version"), str) else None,
        incident_id=header.get("incident_id") if isinstance(header.get("incident_id"), str) else None,
        readable=bool(header) or content is not None or process is not None,
    )
