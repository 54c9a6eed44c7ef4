"""A reboot held up by three or more "these clients are still here" notices (Kaspersky's iShutdown method).

At shutdown iOS writes a notice ``After N.NNs, these clients are still here:`` each time it waited for
processes that had not exited, followed by those processes. Kaspersky's published method
(KasperskyLab/iShutdown, ``iShutdown_detect.py``) counts these notices between two ``SIGTERM`` lines and
reports a reboot with three or more of them. It counts notices, not processes: one notice listing three
slow processes is one wait, common on a normal phone. Delays alone are context for an expert (slow
daemons, an automatic inactivity reboot since iOS 18): LOW, with the processes and the reboot time.
Where the processes ran from is judged by ``ios.shutdown_unusual_client``.
"""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.base import Record
from spyscan.records.ios_shutdown import ShutdownReboot
from spyscan.texts import N_, tr
from spyscan.timeutil import iso

THRESHOLD = 3  # notices before one SIGTERM, as in iShutdown_detect.py
SHOWN = 10


class ShutdownDelayedClients(Rule):
    id = "ios.shutdown_delayed_clients"
    title = N_("Reboot delayed several times")
    severity = Severity.LOW
    category = CONTEXT
    why = N_("Kaspersky found Pegasus infections where shutdown waited three or more times for processes that "
             "would not exit. Slow processes also delay normal reboots, so this is context for an expert.")
    record_types = (ShutdownReboot,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, ShutdownReboot)
        if record.delays < THRESHOLD:
            return
        when: str = iso(record.reboot_time) or tr("an unknown time")
        delayed = [c for c in record.clients if c.delayed]
        names: str = ", ".join(f"{c.name or '?'} (pid {c.pid}, {c.delayed} notice(s))" for c in delayed[:SHOWN])
        if len(delayed) > SHOWN:
            names = tr("%(names)s and %(more)s more", names=names, more=len(delayed) - SHOWN)
        if not names:
            names = tr("no process named")
        if record.waited_seconds is not None:
            seconds = f"{record.waited_seconds:.2f}"
            message = tr("reboot at %(when)s: shutdown waited %(delays)s times for processes still running, the last "
                         "after %(seconds)s s: %(names)s", when=when, delays=record.delays, seconds=seconds,
                         names=names)
        else:
            message = tr("reboot at %(when)s: shutdown waited %(delays)s times for processes still running: "
                         "%(names)s", when=when, delays=record.delays, names=names)
        yield Finding(record=record, message=message)
