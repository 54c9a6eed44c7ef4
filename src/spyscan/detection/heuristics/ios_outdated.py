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
from spyscan.texts import N_, tr

# the date the judgement is made at (IOSDeviceInfo.judged_from), in words
MOMENTS = {"backup date": N_("the backup date"), "acquisition date": N_("the acquisition date"),
           "newest file time in the dump": N_("the newest file time in the dump"),
           "sysdiagnose date": N_("the sysdiagnose date")}


class IOSOutdated(Rule):
    id = "ios.outdated"
    title = N_("iOS not up to date")
    severity = Severity.MEDIUM
    category = PROTECTION  # advice: shown under "Protect this phone", never changes the verdict
    advice = N_("Update the iPhone to the latest iOS: Settings > General > Software Update. If it can no longer be "
                "updated, consider replacing it.")
    why = N_("Mercenary spyware uses flaws that Apple fixes in updates. A phone without the updates that were "
             "out for it stays exposed to attacks already used. This is a risk, not a sign of infection.")
    record_types = (IOSDeviceInfo,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, IOSDeviceInfo) or not record.ios_version or record.judged_on is None:
            return
        major = record.ios_version.split(".")[0]
        table: str = (tr("bundled release table of %(date)s", date=record.versions_table_date)
                      if record.versions_table_date else tr("bundled release table"))
        if record.outdated:
            yield Finding(record=record, severity=Severity.MEDIUM,
                          message=tr("iOS %(version)s was older than iOS %(latest)s, the newest iOS %(major)s release "
                                     "out on %(date)s (%(when)s; %(table)s)", version=record.ios_version,
                                     latest=record.latest_in_major, major=major, date=record.judged_on,
                                     when=self._when(record), table=table))
        elif record.newer_major is not None and record.major_supported is False:
            model: str = record.model or record.product_type or tr("this iPhone")
            yield Finding(record=record, severity=Severity.LOW,
                          message=tr("iOS %(major)s no longer receives updates (%(table)s); %(model)s could run iOS "
                                     "%(newer)s, out by %(date)s (%(when)s)", major=major, table=table, model=model,
                                     newer=record.newer_major, date=record.judged_on, when=self._when(record)))

    @staticmethod
    def _when(record: IOSDeviceInfo) -> str:
        if not record.judged_from:
            return tr("when the acquisition was made")
        known = MOMENTS.get(record.judged_from)
        return tr(known) if known else tr("the %(moment)s", moment=record.judged_from)
