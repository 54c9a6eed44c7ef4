"""An iOS version missing published security updates."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import PROTECTION, Severity
from spyscan.records.base import Record
from spyscan.records.ios_device import IOSDeviceInfo
from spyscan.texts import N_, tr


class IOSOutdated(Rule):
    id = "ios.outdated"
    title = N_("Outdated iOS version")
    severity = Severity.MEDIUM
    category = PROTECTION  # advice: shown under "Protect this phone", never changes the verdict
    advice = N_("Update the iPhone to the latest iOS: Settings > General > Software Update. If it can no longer be "
                "updated, consider replacing it.")
    why = N_("Mercenary spyware relies on vulnerabilities that Apple fixes in updates; a device that is not on "
             "the latest release of its iOS version, or on a version that no longer receives updates, stays "
             "exposed to exploits already used in the wild. This is a risk, not a sign of infection.")
    record_types = (IOSDeviceInfo,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, IOSDeviceInfo) or not record.ios_version:
            return
        table: str = (tr("bundled release table of %(date)s", date=record.versions_table_date)
                      if record.versions_table_date else tr("bundled release table"))
        if record.outdated:
            yield Finding(record=record, severity=Severity.MEDIUM,
                          message=tr("iOS %(version)s is older than %(latest)s, the latest release of iOS %(major)s "
                                     "(%(table)s)", version=record.ios_version, latest=record.latest_in_major,
                                     major=record.ios_version.split(".")[0], table=table))
        elif record.major_supported is False:
            yield Finding(record=record, severity=Severity.LOW,
                          message=tr("iOS %(major)s no longer receives regular updates (latest iOS is %(latest)s; "
                                     "%(table)s)", major=record.ios_version.split(".")[0],
                                     latest=record.latest_version, table=table))
