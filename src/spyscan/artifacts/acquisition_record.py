"""Reading ``acquisition.json`` (androidqf and ``spyscan collect``) into an ``AcquisitionInfo`` record.

Shared by the androidqf and the iOS-collection artifacts; see docs/acquisition.md for the keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from spyscan.errors import BudgetExceeded
from spyscan.evidence.base import Evidence
from spyscan.records.acquisition import AcquisitionInfo
from spyscan.records.base import SourceRef
from spyscan.timeutil import from_iso

FILE = "acquisition.json"
LIMIT = 4 << 20


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _time(value: Any) -> Any:
    when = from_iso(value)
    return when if when is not None and when.year > 2000 else None  # Go's zero time means "not set"


def _object(info: dict[str, Any], key: str) -> dict[str, Any]:
    value = info.get(key)
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value if isinstance(v, str | int)] if isinstance(value, list) else []


def acquisition_records(evidence: Evidence, platform: str) -> Iterator[AcquisitionInfo]:
    """The record of ``acquisition.json``; then ``BudgetExceeded`` (truncated) when it says it is not complete."""
    data = evidence.read_bytes(FILE, limit=LIMIT)
    try:
        info = msgspec.json.decode(data)
    except msgspec.DecodeError as exc:
        raise ValueError(f"{FILE} is not valid JSON: {exc}") from exc
    if not isinstance(info, dict):
        raise ValueError(f"{FILE} is not a JSON object")
    interrupted, steps = _object(info, "interrupted"), _object(info, "steps")
    traces, collector = _object(info, "phone_traces"), _object(info, "collector")
    tool = _clean(info.get("tool")) or ("androidqf" if "androidqf_version" in info else None)
    record = AcquisitionInfo(
        source=SourceRef(file=FILE), platform=platform, tool=tool,
        tool_version=_clean(info.get("tool_version") or info.get("androidqf_version")),
        started=_time(info.get("started")), completed=_time(info.get("completed")),
        status=_clean(info.get("status")),
        interrupted_step=_clean(interrupted.get("step")), interrupted_error=_clean(interrupted.get("error")),
        failed_steps=sorted(f"{name}: {state}" for name, state in steps.items()
                            if isinstance(state, str) and state != "ok" and not state.startswith("skipped")),
        missing=_strings(info.get("missing")), partial_files=_strings(info.get("partial_files")),
        left_on_phone=_strings(traces.get("left_on_phone")), tmp_dir=_clean(info.get("tmp_dir")),
        collector_path=_clean(collector.get("ExePath")),
    )
    yield record
    if record.incomplete:
        what = record.interrupted_step or ", ".join(record.missing[:5]) or record.status
        raise BudgetExceeded(f"the acquisition is marked {record.status} in {FILE} ({what}): the check "
                             "cannot cover what was not collected", status="truncated")
