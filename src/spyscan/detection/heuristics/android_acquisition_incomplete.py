"""An Android acquisition says it is not complete: what was not collected could not be checked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.acquisition import AcquisitionInfo
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class AndroidAcquisitionIncomplete(Rule):
    id = "android.acquisition_incomplete"
    title = N_("The acquisition is incomplete")
    severity = Severity.MEDIUM
    why = N_("The acquisition stopped before the end (the phone was disconnected, locked, or a step failed). "
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
    parts: list[str] = []
    if record.interrupted_step:
        parts.append(tr("stopped during %(step)s: %(error)s", step=record.interrupted_step,
                        error=record.interrupted_error or "?"))
    if record.missing:
        parts.append(tr("not collected: %(parts)s", parts=", ".join(record.missing)))
    if record.partial_files:
        parts.append(tr("cut short: %(files)s", files=", ".join(record.partial_files)))
    if record.status == "in_progress":
        parts.append(tr("the acquisition never finished (the program was stopped)"))
    details = tr("%(first)s; %(second)s", first=parts[0], second=parts[1]) if len(parts) >= 2 else (
        parts[0] if parts else "?")
    for more in parts[2:]:
        details = tr("%(first)s; %(second)s", first=details, second=more)
    return tr("the acquisition is %(status)s: %(details)s", status=record.status, details=details)
