"""A security or update package is disabled."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import security_packages
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class AndroidSecurityPackageDisabled(Rule):
    id = "android.security_package_disabled"
    title = N_("Security or update component disabled")
    severity = Severity.MEDIUM
    why = N_("Disabling Google Play Protect, the Play Store, or the maker's update and security apps stops "
             "malware scanning and security updates; spyware installers do it to stay hidden.")
    record_types = (AndroidPackage,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidPackage)
        if record.disabled and record.package in security_packages():
            yield Finding(record=record, message=tr("security/update package disabled: %(package)s",
                                                    package=record.package),
                          observable_type="app_id", observable_value=record.package)
