"""A shutdown log without any reboot, on an iOS version that keeps its history (before iOS 26).

Before iOS 26 the log keeps every reboot since the phone was set up or restored, and iVerify reported a
Pegasus infection whose log had been emptied. From iOS 26 the log is rewritten at each boot, so an empty
or short log is expected and never reported. A phone that was never restarted since it was set up also
has an empty log: this is context for an expert, not a sign by itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.base import Record
from spyscan.records.ios_shutdown import ShutdownLogCoverage
from spyscan.texts import N_, tr


class ShutdownLogEmpty(Rule):
    id = "ios.shutdown_log_empty"
    title = N_("Shutdown log without any reboot")
    severity = Severity.LOW
    category = CONTEXT
    why = N_("Before iOS 26 the shutdown log keeps every reboot since the phone was set up. An emptied log "
             "was seen in a Pegasus infection; a phone never restarted since setup also has none.")
    record_types = (ShutdownLogCoverage,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, ShutdownLogCoverage)
        if record.reboots or record.rewritten_at_boot is not False:
            return  # reboots present, or iOS 26+ (rewritten at each boot), or the version is unknown
        yield Finding(record=record,
                      message=tr("the shutdown log (%(files)s) holds no complete reboot, on iOS %(version)s, which "
                                 "keeps the reboots since setup", files=", ".join(record.log_files),
                                 version=record.ios_version))
