"""A native crash of a process running as root, system or shell."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.android_tombstones import AndroidTombstone
from spyscan.texts import N_, tr

PRIVILEGED = {0: "root", 1000: "system", 2000: "shell"}


class TombstonePrivilegedCrash(Rule):
    id = "android.tombstone_privileged_crash"
    title = N_("Crash of a privileged native process")
    severity = Severity.LOW
    category = CONTEXT
    why = N_("Exploits often crash the privileged process they target before they succeed. Such crashes are "
             "also common bugs on normal phones, so they are context: look at them around a time of interest.")
    record_types = (AndroidTombstone,)

    def check(self, record: object) -> Iterable[Finding]:
        if not isinstance(record, AndroidTombstone) or record.uid not in PRIVILEGED:
            return
        who = PRIVILEGED[record.uid]
        process: str = record.process_name or tr("a process")
        if record.signal_name and record.abort_message:
            message = tr("%(process)s running as %(user)s (uid %(uid)s) crashed with %(signal)s (abort message: "
                         "%(abort)s)", process=process, user=who, uid=record.uid, signal=record.signal_name,
                         abort=record.abort_message[:200])
        elif record.signal_name:
            message = tr("%(process)s running as %(user)s (uid %(uid)s) crashed with %(signal)s", process=process,
                         user=who, uid=record.uid, signal=record.signal_name)
        elif record.abort_message:
            message = tr("%(process)s running as %(user)s (uid %(uid)s) crashed (abort message: %(abort)s)",
                         process=process, user=who, uid=record.uid, abort=record.abort_message[:200])
        else:
            message = tr("%(process)s running as %(user)s (uid %(uid)s) crashed", process=process, user=who,
                         uid=record.uid)
        yield Finding(record=record, message=message, observable_type="process", observable_value=record.process_name)
