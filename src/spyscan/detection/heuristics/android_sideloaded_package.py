"""An app was installed from outside an official store (unknown installer, browser, package installer)."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import installer_categories
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.base import Record


class AndroidSideloadedPackage(Rule):
    id = "android.sideloaded_package"
    title = "App installed from outside an official store"
    severity = Severity.MEDIUM
    why = ("Stalkerware and spyware are usually installed by hand from an APK file (with physical access) "
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
            message = f"{record.package} was installed by an unknown installer (adb or a file)"
            severity = Severity.MEDIUM
        elif category == "browser":
            message = f"{record.package} was installed from a file downloaded with the browser {installer}"
            severity = Severity.MEDIUM
        elif category == "package_installer":
            message = f"{record.package} was sideloaded with the package installer ({installer})"
            severity = Severity.MEDIUM
        elif category == "third_party":
            message = f"{record.package} was installed from the alternative store {installer}"
            severity = Severity.INFO
        else:
            message = f"{record.package} was installed by the app {installer}, not a known store"
            severity = Severity.LOW
        yield Finding(record=record, message=message, severity=severity, observable_type="app_id",
                      observable_value=record.package)
