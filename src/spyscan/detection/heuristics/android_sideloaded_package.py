"""An app was installed from outside an official store (unknown installer, browser, package installer)."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import installer_categories
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class AndroidSideloadedPackage(Rule):
    id = "android.sideloaded_package"
    title = N_("App installed from outside an official store")
    severity = Severity.MEDIUM
    why = N_("Stalkerware and spyware are usually installed by hand from an APK file (with physical access) "
             "rather than from a store. Apps from alternative stores are listed for information.")
    record_types = (AndroidPackage,)

    def __init__(self) -> None:
        self._seen: set[str] = set()  # one finding per package (androidqf lists a package once per user)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidPackage)
        if record.system or not record.third_party or not record.installer_listed:
            return
        if not record.install_source_primary or record.package in self._seen:
            return  # the acquisition's package inventory reports it (see AndroidPackage.install_source_primary)
        self._seen.add(record.package)
        installer = record.installer
        category = installer_categories().get(installer or "")
        if category == "store":
            return
        if installer is None:
            message = tr("%(package)s was installed by an unknown installer (adb or a file)", package=record.package)
            severity = Severity.MEDIUM
        elif category == "browser":
            message = tr("%(package)s was installed from a file downloaded with the browser %(installer)s",
                         package=record.package, installer=installer)
            severity = Severity.MEDIUM
        elif category == "package_installer":
            message = tr("%(package)s was sideloaded with the package installer (%(installer)s)",
                         package=record.package, installer=installer)
            severity = Severity.MEDIUM
        elif category == "third_party":
            message = tr("%(package)s was installed from the alternative store %(installer)s", package=record.package,
                         installer=installer)
            severity = Severity.INFO
        else:
            message = tr("%(package)s was installed by the app %(installer)s, not a known store",
                         package=record.package,
                         installer=installer)
            severity = Severity.LOW
        yield Finding(record=record, message=message, severity=severity, observable_type="app_id",
                      observable_value=record.package)
