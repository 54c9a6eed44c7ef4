"""``acquisition.json``: who made the acquisition, when, and whether it is whole.

androidqf writes ``uuid``, ``androidqf_version``, ``started``, ``completed``, ``collector`` (``ExePath``...),
``tmp_dir``, ``sdcard``, ``cpu`` (androidqf ``acquisition/acquisition.go``). ``spyscan collect android`` writes
the same keys plus ``tool``, ``tool_version``, ``status`` (``in_progress`` until the last step, then
``complete`` or ``incomplete``), ``interrupted``, ``steps``, ``missing``, ``partial_files`` and ``phone_traces``
(docs/acquisition.md). An acquisition whose own file says it is not complete is recorded, and the artifact
then ends with the status ``truncated``: the check is incomplete, whatever else it finds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from spyscan.artifacts.android.androidqf_common import clean_str
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import BudgetExceeded
from spyscan.evidence.base import Evidence
from spyscan.records.android_acquisition import AcquisitionInfo
from spyscan.records.base import SourceRef
from spyscan.timeutil import from_iso

FILE = "acquisition.json"
LIMIT = 4 << 20


def _time(value: Any) -> Any:
    when = from_iso(value)
    return when if when is not None and when.year > 2000 else None  # Go's zero time means "not set"


def _object(info: dict[str, Any], key: str) -> dict[str, Any]:
    value = info.get(key)
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value if isinstance(v, str | int)] if isinstance(value, list) else []


class AndroidQFAcquisition(Artifact):
    id = "android.androidqf.acquisition"
    kinds = ("androidqf",)
    title = "Acquisition record (acquisition.json)"
    records = (AcquisitionInfo,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AcquisitionInfo]:
        data = evidence.read_bytes(FILE, limit=LIMIT)
        try:
            info = msgspec.json.decode(data)
        except msgspec.DecodeError as exc:
            raise ValueError(f"{FILE} is not valid JSON: {exc}") from exc
        if not isinstance(info, dict):
            raise ValueError(f"{FILE} is not a JSON object")
        interrupted, steps = _object(info, "interrupted"), _object(info, "steps")
        traces, collector = _object(info, "phone_traces"), _object(info, "collector")
        tool = clean_str(info.get("tool")) or ("androidqf" if "androidqf_version" in info else None)
        record = AcquisitionInfo(
            source=SourceRef(file=FILE), tool=tool,
            tool_version=clean_str(info.get("tool_version") or info.get("androidqf_version")),
            started=_time(info.get("started")), completed=_time(info.get("completed")),
            status=clean_str(info.get("status")),
            interrupted_step=clean_str(interrupted.get("step")), interrupted_error=clean_str(interrupted.get("error")),
            failed_steps=sorted(f"{name}: {state}" for name, state in steps.items()
                                if isinstance(state, str) and state != "ok" and not state.startswith("skipped")),
            missing=_strings(info.get("missing")), partial_files=_strings(info.get("partial_files")),
            left_on_phone=_strings(traces.get("left_on_phone")), tmp_dir=clean_str(info.get("tmp_dir")),
            collector_path=clean_str(collector.get("ExePath")),
        )
        yield record
        if record.incomplete:
            what = record.interrupted_step or ", ".join(record.missing[:5]) or record.status
            raise BudgetExceeded(f"the acquisition is marked {record.status} in {FILE} ({what}): the check "
                                 "cannot cover what was not collected", status="truncated")
