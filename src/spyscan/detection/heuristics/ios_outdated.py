"""An iOS version missing published security updates."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import PROTECTION, Severity
from spyscan.records.base import Record
from spyscan.records.ios_device import IOSDeviceInfo


class IOSOutdated(Rule):
    id = "ios.outdated"
    title = "Outdated iOS version"
    severity = Severity.MEDIUM
    category = PROTECTION  # advice: shown under "Protect this phone", never changes the verdict
    why = ("Mercenary spyware relies on vulnerabilities that Apple fixes in updates; a device that is not on "
           "the latest release of its iOS version, or on a version that no longer receives updates, stays "
           "exposed to exploits already used in the wild. This is a risk, not a sign of infection.")
    record_types = (IOSDeviceInfo,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, IOSDeviceInfo) or not record.ios_version:
            return
        table = f"bundled release table of {record.versions_table_date}" if record.versions_table_date else "table"
        if record.outdated:
            yield Finding(record=record, severity=Severity.MEDIUM,
                          message=f"iOS {record.ios_version} is older than {record.latest_in_major}, the latest "
                                  f"release of iOS {record.ios_version.split('.')[0]} ({table})")
        elif record.major_supported is False:
            yield Finding(record=record, severity=Severity.LOW,
                          message=f"iOS {record.ios_version.split('.')[0]} no longer receives regular updates "
                                  f"(latest iOS is {record.latest_version}; {table})")
