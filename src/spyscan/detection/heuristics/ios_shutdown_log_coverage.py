"""What the shutdown log covers: the number of reboots and the first and last one (always stated).

A finding about shutdown.log means little without knowing which period the log spans: iOS 26 rewrites the
log at each boot, and before that it keeps the reboots since the phone was set up or restored. This
context note says it for every acquisition that holds the log.
"""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.base import Record
from spyscan.records.ios_shutdown import ShutdownLogCoverage
from spyscan.texts import N_, tr
from spyscan.timeutil import iso


def coverage_text(record: ShutdownLogCoverage) -> str:
    text: str
    if not record.reboots:
        text = tr("the shutdown log holds no complete reboot")
    else:
        first: str = iso(record.first_reboot) or record.first_reboot_raw or tr("an unknown time")
        last: str = iso(record.last_reboot) or record.last_reboot_raw or tr("an unknown time")
        text = (tr("the shutdown log covers %(count)s reboot(s): the first at %(first)s, the last at %(last)s",
                   count=record.reboots, first=first, last=last)
                if record.reboots > 1 else tr("the shutdown log covers one reboot, at %(first)s", first=first))
    if record.rewritten_at_boot:
        return tr("%(text)s (iOS %(version)s rewrites this log at each boot: older reboots are not kept)", text=text,
                  version=record.ios_version)
    if record.ios_version is None:
        return tr("%(text)s (iOS version unknown)", text=text)
    return text


class ShutdownLogPeriod(Rule):
    id = "ios.shutdown_log_coverage"
    title = N_("Period covered by the shutdown log")
    severity = Severity.INFO
    category = CONTEXT
    why = N_("The shutdown log only shows the reboots it still holds. Its first and last reboot tell which "
             "period the other shutdown findings, or their absence, are about.")
    record_types = (ShutdownLogCoverage,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, ShutdownLogCoverage)
        yield Finding(record=record, message=coverage_text(record))
