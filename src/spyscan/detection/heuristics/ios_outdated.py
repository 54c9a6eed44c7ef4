"""An iOS version missing security updates that were out when the acquisition was made.

Judged on the acquisition date, against the phone's own ceiling (the newest iOS its model can run): the
newest release of an older branch is current (an iPhone X on the newest iOS 16, an 18.7.x security
release while iOS 26 exists). Never against today's date and today's newest iOS (mvt-project/mvt#285).
"""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import PROTECTION, Severity
from spyscan.records.base import Record
from spyscan.records.ios_device import IOSDeviceInfo


class IOSOutdated(Rule):
    id = "ios.outdated"
    title = "iOS not up to date"
    severity = Severity.MEDIUM
    category = PROTECTION  # advice: shown under "Protect this phone", never changes the verdict
    why = ("Mercenary spyware uses flaws that Apple fixes in updates. A phone without the updates that were "
           "out for it stays exposed to attacks already used. This is a risk, not a sign of infection.")
    record_types = (IOSDeviceInfo,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, IOSDeviceInfo) or not record.ios_version or record.judged_on is None:
            return
        major = record.ios_version.split(".")[0]
        table = f"bundled release table of {record.versions_table_date}" if record.versions_table_date else "table"
        if record.outdated:
            yield Finding(record=record, severity=Severity.MEDIUM,
                          message=f"iOS {record.ios_version} was older than iOS {record.latest_in_major}, the newest "
                                  f"iOS {major} release out on {record.judged_on} ({self._when(record)}; {table})")
        elif record.newer_major is not None and record.major_supported is False:
            model = record.model or record.product_type or "this iPhone"
            yield Finding(record=record, severity=Severity.LOW,
                          message=f"iOS {major} no longer receives updates ({table}); {model} could run "
                                  f"iOS {record.newer_major}, out by {record.judged_on} ({self._when(record)})")

    @staticmethod
    def _when(record: IOSDeviceInfo) -> str:
        return f"the {record.judged_from}" if record.judged_from else "when the acquisition was made"
