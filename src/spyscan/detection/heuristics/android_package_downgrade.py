"""An app was replaced by an older version (battery daily stats)."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_battery import BatteryPackageChange
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class AndroidPackageDowngrade(Rule):
    id = "android.package_downgrade"
    title = N_("App downgraded to an older version")
    severity = Severity.LOW
    why = N_("Going back to an older version of an app can reopen security flaws fixed since; attackers with "
             "access to a phone do it to exploit them. Ordinary users rarely downgrade apps.")
    record_types = (BatteryPackageChange,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, BatteryPackageChange)
        if record.action == "downgrade":
            yield Finding(record=record, observable_type="app_id", observable_value=record.package,
                          message=tr("%(package)s went from version %(previous)s down to %(version)s",
                                     package=record.package,
                                     previous=record.previous_version_code, version=record.version_code))
