"""An app installed without an App Store, TestFlight or marketplace record."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_apps import SOURCE_OTHER, IOSInstalledApp
from spyscan.texts import N_, tr


class IOSSideloadedApp(Rule):
    id = "ios.sideloaded_app"
    title = N_("App installed outside the App Store")
    severity = Severity.MEDIUM
    why = N_("Stalkerware and some spyware are installed on iPhones with enterprise or developer certificates "
             "or sideloading tools, bypassing App Store review. Such apps have no store record. Legitimate "
             "cases exist (an employer's in-house app, a developer's own build): ask the device's owner.")
    record_types = (IOSInstalledApp,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, IOSInstalledApp):
            return
        if record.sideloaded:
            yield Finding(record=record, observable_type="app_id", observable_value=record.bundle_id,
                          message=tr("app %(app)s has no App Store, TestFlight or marketplace record: installed by a "
                                     "developer/enterprise certificate, MDM in-house or sideloading",
                                     app=record.bundle_id))
        elif record.install_source == SOURCE_OTHER:
            yield Finding(record=record, severity=Severity.LOW, observable_type="app_id",
                          observable_value=record.bundle_id,
                          message=tr("app %(app)s was installed by an unusual installer (%(installer)s)",
                                     app=record.bundle_id,
                                     installer=record.source_app))
