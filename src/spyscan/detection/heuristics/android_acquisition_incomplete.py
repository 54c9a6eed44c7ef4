"""An Android acquisition says it is not complete: what was not collected could not be checked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.acquisition import AcquisitionInfo
from spyscan.records.base import Record


class AndroidAcquisitionIncomplete(Rule):
    id = "android.acquisition_incomplete"
    title = "The acquisition is incomplete"
    severity = Severity.MEDIUM
    why = ("The acquisition stopped before the end (the phone was disconnected, locked, or a step failed). "
           "What was not collected was not checked, so the absence of findings means little: acquire the "
           "phone again before drawing a conclusion.")
    record_types = (AcquisitionInfo,)
    platform: ClassVar[str] = "android"

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, AcquisitionInfo) or not record.incomplete or record.platform != self.platform:
            return
        yield Finding(record=record, message=incomplete_message(record))


def incomplete_message(record: AcquisitionInfo) -> str:
    """What was not collected, in one line."""
    parts = []
    if record.interrupted_step:
        parts.append(f"stopped during {record.interrupted_step}: {record.interrupted_error or '?'}")
    if record.missing:
        parts.append("not collected: " + ", ".join(record.missing))
    if record.partial_files:
        parts.append("cut short: " + ", ".join(record.partial_files))
    if record.status == "in_progress":
        parts.append("the acquisition never finished (the program was stopped)")
    return f"the acquisition is {record.status}: " + "; ".join(parts or ["?"])
