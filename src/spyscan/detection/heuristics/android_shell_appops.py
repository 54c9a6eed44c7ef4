"""The ADB shell (``com.android.shell``) used a protected operation: someone ran commands over USB."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.android_appops import AppOpEntry
from spyscan.records.base import Record
from spyscan.texts import N_, tr

SHELL = "com.android.shell"


class AndroidShellAppOps(Rule):
    id = "android.shell_appops"
    title = N_("ADB shell used a protected operation")
    severity = Severity.LOW
    category = CONTEXT
    why = N_("Commands run over USB debugging appear as the shell app using camera, SMS or other operations. "
             "The acquisition itself does this; uses outside the acquisition time show other USB sessions.")
    record_types = (AppOpEntry,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AppOpEntry)
        if record.package != SHELL or (record.last_access is None and not record.access_count):
            return
        if record.last_access_raw:
            message = tr("the ADB shell used %(op)s, last %(when)s", op=record.op, when=record.last_access_raw)
        else:
            message = tr("the ADB shell used %(op)s", op=record.op)
        yield Finding(record=record, message=message)
