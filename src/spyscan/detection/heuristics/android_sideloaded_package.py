"""An app was installed from outside an official store (unknown installer, browser, package installer)."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_install_origin import install_origin
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import COMPROMISE, CONTEXT, Severity
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.base import Record
from spyscan.texts import N_


class AndroidSideloadedPackage(Rule):
    id = "android.sideloaded_package"
    title = N_("App installed from outside an official store")
    severity = Severity.MEDIUM
    why = N_("Stalkerware is usually installed by hand from an APK file, with the phone in hand, not from a "
             "store. Apps from alternative stores and the maker's own apps are listed for information.")
    record_types = (AndroidPackage,)

    def __init__(self) -> None:
        self._seen: set[str] = set()  # one finding per package (androidqf lists a package once per user)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidPackage)
        if not record.install_source_primary or record.package in self._seen:
            return  # the acquisition's package inventory reports it (see AndroidPackage.install_source_primary)
        origin = install_origin(record)
        if origin is None:
            return
        self._seen.add(record.package)
        yield Finding(record=record, message=origin.message, severity=origin.severity,
                      category=COMPROMISE if origin.suspicious else CONTEXT, observable_type="app_id",
                      observable_value=record.package)
