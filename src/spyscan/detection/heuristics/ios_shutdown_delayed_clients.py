"""A reboot held up by three or more processes that would not exit."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_shutdown import ShutdownReboot
from spyscan.texts import N_, tr, trn
from spyscan.timeutil import iso

THRESHOLD = 3


class ShutdownDelayedClients(Rule):
    id = "ios.shutdown_delayed_clients"
    title = N_("Reboot delayed by several processes")
    severity = Severity.MEDIUM
    why = N_("Kaspersky's analysis of Pegasus infections found reboots where several processes kept delaying "
             "the shutdown; one slow process is common, three or more in one reboot is unusual and worth a look.")
    record_types = (ShutdownReboot,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, ShutdownReboot)
        delayed = [c for c in record.clients if c.delayed]
        if len(delayed) < THRESHOLD:
            return
        when: str = iso(record.reboot_time) or tr("an unknown time")
        names = ", ".join(f"{c.name or '?'} (pid {c.pid})" for c in delayed[:10])
        if len(delayed) > 10:
            names = tr("%(names)s and %(more)s more", names=names, more=len(delayed) - 10)
        if record.waited_seconds is not None:
            seconds = f"{record.waited_seconds:.2f}"
            message = trn("reboot at %(when)s was delayed for up to %(seconds)s s by %(num)d process: %(names)s",
                          "reboot at %(when)s was delayed for up to %(seconds)s s by %(num)d processes: %(names)s",
                          len(delayed), when=when, seconds=seconds, names=names)
        else:
            message = trn("reboot at %(when)s was delayed by %(num)d process: %(names)s",
                          "reboot at %(when)s was delayed by %(num)d processes: %(names)s", len(delayed), when=when,
                          names=names)
        yield Finding(record=record, message=message)
