"""A reboot held up by three or more processes that would not exit."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_shutdown import ShutdownReboot
from spyscan.timeutil import iso

THRESHOLD = 3


class ShutdownDelayedClients(Rule):
    id = "ios.shutdown_delayed_clients"
    title = "Reboot delayed by several processes"
    severity = Severity.MEDIUM
    why = ("Kaspersky's analysis of Pegasus infections found reboots where several processes kept delaying "
           "the shutdown; one slow process is common, three or more in one reboot is unusual and worth a look.")
    record_types = (ShutdownReboot,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, ShutdownReboot)
        delayed = [c for c in record.clients if c.delayed]
        if len(delayed) < THRESHOLD:
            return
        when = iso(record.reboot_time) or "an unknown time"
        names = ", ".join(f"{c.name or '?'} (pid {c.pid})" for c in delayed[:10])
        more = f" and {len(delayed) - 10} more" if len(delayed) > 10 else ""
        waited = f" for up to {record.waited_seconds:.2f}s" if record.waited_seconds is not None else ""
        yield Finding(
            record=record,
            message=f"reboot at {when} was delayed{waited} by {len(delayed)} processes: {names}{more}",
        )
