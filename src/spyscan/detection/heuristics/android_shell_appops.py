"""The ADB shell (``com.android.shell``) used a protected operation: someone ran commands over USB."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.android_appops import AppOpEntry
from spyscan.records.base import Record

SHELL = "com.android.shell"


class AndroidShellAppOps(Rule):
    id = "android.shell_appops"
    title = "ADB shell used a protected operation"
    severity = Severity.LOW
    category = CONTEXT
    why = ("Commands run over USB debugging appear as the shell app using camera, SMS or other operations. "
           "The acquisition itself does this; uses outside the acquisition time show other USB sessions.")
    record_types = (AppOpEntry,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AppOpEntry)
        if record.package != SHELL or (record.last_access is None and not record.access_count):
            return
        when = f", last {record.last_access_raw}" if record.last_access_raw else ""
        yield Finding(record=record, message=f"the ADB shell used {record.op}{when}")
