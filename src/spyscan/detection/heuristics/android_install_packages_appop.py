"""An app may install other apps (REQUEST_INSTALL_PACKAGES granted), or did."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import installer_categories
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.android_appops import AppOpEntry
from spyscan.records.base import Record
from spyscan.texts import N_, tr

OP = "REQUEST_INSTALL_PACKAGES"


class AndroidInstallPackagesAppOp(Rule):
    id = "android.install_packages_appop"
    title = N_("App allowed to install other apps")
    severity = Severity.LOW
    why = N_("Apps allowed to install packages (browsers, file managers, messengers) are how sideloaded "
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
                          message=tr("the alternative store %(package)s installed apps", package=record.package))
        elif used:
            yield Finding(record=record, severity=Severity.MEDIUM, observable_type="app_id",
                          observable_value=record.package,
                          message=tr("%(package)s used its permission to install apps", package=record.package))
        elif record.mode == "allow":
            yield Finding(record=record, observable_type="app_id", observable_value=record.package,
                          message=tr("%(package)s is allowed to install apps", package=record.package))
