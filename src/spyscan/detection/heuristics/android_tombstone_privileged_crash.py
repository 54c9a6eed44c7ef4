"""A native crash of a process running as root, system or shell."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.android_tombstones import AndroidTombstone

PRIVILEGED = {0: "root", 1000: "system", 2000: "shell"}


class TombstonePrivilegedCrash(Rule):
    id = "android.tombstone_privileged_crash"
    title = "Crash of a privileged native process"
    severity = Severity.LOW
    category = CONTEXT
    why = ("Exploits often crash the privileged process they target before they succeed. Such crashes are "
           "also common bugs on normal phones, so they are context: look at them around a time of interest.")
    record_types = (AndroidTombstone,)

    def check(self, record: object) -> Iterable[Finding]:
        if not isinstance(record, AndroidTombstone) or record.uid not in PRIVILEGED:
            return
        who = PRIVILEGED[record.uid]
        signal = f" with {record.signal_name}" if record.signal_name else ""
        abort = f" (abort message: {record.abort_message[:200]})" if record.abort_message else ""
        yield Finding(record=record,
                      message=f"{record.process_name or 'a process'} running as {who} (uid {record.uid}) "
                              f"crashed{signal}{abort}",
                      observable_type="process", observable_value=record.process_name)
