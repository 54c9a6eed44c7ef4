"""An app may install other apps (REQUEST_INSTALL_PACKAGES granted), or did."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import installer_categories
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.android_appops import AppOpEntry
from spyscan.records.base import Record

OP = "REQUEST_INSTALL_PACKAGES"


class AndroidInstallPackagesAppOp(Rule):
    id = "android.install_packages_appop"
    title = "App allowed to install other apps"
    severity = Severity.LOW
    why = ("Apps allowed to install packages (browsers, file managers, messengers) are how sideloaded "
           "spyware usually arrives; one that actually used it is worth a look.")
    record_types = (AppOpEntry,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AppOpEntry)
        category = installer_categories().get(record.package)
        if record.op != OP or category == "store":
            return
        used = record.access_count or record.last_access is not None
        if used and category == "third_party":  # an alternative store installs apps: that is its job; the apps
            # it installed are reported with their installer (android.sideloaded_package)
            yield Finding(record=record, severity=Severity.LOW, category=CONTEXT, observable_type="app_id",
                          observable_value=record.package,
                          message=f"the alternative store {record.package} installed apps")
        elif used:
            yield Finding(record=record, severity=Severity.MEDIUM, observable_type="app_id",
                          observable_value=record.package,
                          message=f"{record.package} used its permission to install apps")
        elif record.mode == "allow":
            yield Finding(record=record, observable_type="app_id", observable_value=record.package,
                          message=f"{record.package} is allowed to install apps")
