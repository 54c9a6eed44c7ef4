"""Reading ``acquisition.json`` (androidqf and ``spyscan collect``) into an ``AcquisitionInfo`` record.

Shared by the androidqf and the iOS-collection artifacts; see docs/acquisition.md for the keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.android.androidqf_common import clean_str
from spyscan.errors import ArtifactNotFound, BudgetExceeded, EvidenceError
from spyscan.evidence.base import Evidence
from spyscan.evidence.jsonio import decode_document
from spyscan.records.acquisition import AcquisitionInfo
from spyscan.records.base import SourceRef
from spyscan.texts import tr
from spyscan.timeutil import ANDROID_FLOOR, IOS_FLOOR, from_iso
from spyscan.values import raw_value

FILE = "acquisition.json"
LIMIT = 4 << 20


FLOORS = {"android": ANDROID_FLOOR, "ios": IOS_FLOOR}


def _time(value: Any, platform: str) -> Any:
    return from_iso(value, FLOORS.get(platform))  # Go's zero time means "not set" (a sentinel: empty, no warning)


def _object(info: dict[str, Any], key: str) -> dict[str, Any]:
    value = info.get(key)
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value if isinstance(v, str | int)] if isinstance(value, list) else []


HOST_KEY = "adb_host_key.pub"


def host_key_sha256(evidence: Evidence) -> str | None:
    """SHA-256 of the base64 text of ``adb_host_key.pub`` (``<base64> user@host``), as dumpsys adb keys are
    hashed (``AdbTrustedKey.key_sha256``); None without the file."""
    try:
        if not evidence.exists(HOST_KEY):
            return None
        text = evidence.read_bytes(HOST_KEY, limit=1 << 16).decode("ascii", errors="replace").split()
    except (ArtifactNotFound, EvidenceError, OSError):
        return None
    return hashlib.sha256(text[0].encode("ascii", errors="replace")).hexdigest() if text else None


def acquisition_records(evidence: Evidence, platform: str) -> Iterator[AcquisitionInfo]:
    """The record of ``acquisition.json``; then ``BudgetExceeded`` (truncated) when it says it is not complete."""
    data = evidence.read_bytes(FILE, limit=LIMIT)
    info = decode_document(data, FILE)
    if not isinstance(info, dict):
        raise ValueError(f"{FILE} is not a JSON object")
    interrupted, steps = _object(info, "interrupted"), _object(info, "steps")
    traces, collector = _object(info, "phone_traces"), _object(info, "collector")
    tool = clean_str(info.get("tool")) or ("androidqf" if "androidqf_version" in info else None)
    record = AcquisitionInfo(
        source=SourceRef(file=FILE), platform=platform, tool=tool,
        tool_version=clean_str(info.get("tool_version") or info.get("androidqf_version")),
        started=_time(info.get("started"), platform), completed=_time(info.get("completed"), platform),
        started_raw=raw_value(info.get("started")), completed_raw=raw_value(info.get("completed")),
        status=clean_str(info.get("status")),
        interrupted_step=clean_str(interrupted.get("step")), interrupted_error=clean_str(interrupted.get("error")),
        failed_steps=sorted(f"{name}: {state}" for name, state in steps.items()
                            if isinstance(state, str) and state != "ok" and not state.startswith("skipped")),
        missing=_strings(info.get("missing")), partial_files=_strings(info.get("partial_files")),
        left_on_phone=_strings(traces.get("left_on_phone")),
        created_and_removed=_strings(traces.get("created_and_removed")), tmp_dir=clean_str(info.get("tmp_dir")),
        collector_path=clean_str(collector.get("ExePath")), adb_host_key_sha256=host_key_sha256(evidence),
    )
    yield record
    if record.incomplete:
        what = record.interrupted_step or ", ".join(record.missing[:5]) or record.status
        raise BudgetExceeded(tr('the acquisition is marked %(status)s in %(file)s (%(what)s): the check cannot cover '
                                'what was not collected', status=record.status, file=FILE, what=what),
                                status="truncated")
