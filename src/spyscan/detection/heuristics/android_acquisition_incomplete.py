"""The acquisition says it is not complete: what was not collected could not be checked."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_acquisition import AcquisitionInfo
from spyscan.records.base import Record


class AndroidAcquisitionIncomplete(Rule):
    id = "android.acquisition_incomplete"
    title = "The acquisition is incomplete"
    severity = Severity.MEDIUM
    why = ("The acquisition stopped before the end (the phone was disconnected, locked, or a step failed). "
           "What was not collected was not checked, so the absence of findings means little: acquire the "
           "phone again before drawing a conclusion.")
    record_types = (AcquisitionInfo,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, AcquisitionInfo) or not record.incomplete:
            return
        parts = []
        if record.interrupted_step:
            parts.append(f"stopped during {record.interrupted_step}: {record.interrupted_error or '?'}")
        if record.missing:
            parts.append("not collected: " + ", ".join(record.missing))
        if record.partial_files:
            parts.append("cut short: " + ", ".join(record.partial_files))
        if record.status == "in_progress":
            parts.append("the acquisition never finished (the program was stopped)")
        yield Finding(record=record, message=f"the acquisition is {record.status}: " + "; ".join(parts or ["?"]))
