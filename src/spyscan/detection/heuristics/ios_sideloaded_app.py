"""How an app was installed, when the store metadata names an installer that is not a normal one.

The App Store (and its product-page extension), device management (``dmd``), TestFlight and Apple's device
sync are normal and raise nothing. An EU alternative marketplace is stated as context naming the
marketplace (INFO; LOW when Apple recorded a distributor that is in no list). Only an installer spyscan
does not know is MEDIUM. An app without store metadata raises nothing: the backup may simply not record
it, and the artifact says so under "what could not be checked" (docs/false-alarms.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.base import Record
from spyscan.records.ios_apps import SOURCE_MARKETPLACE, SOURCE_OTHER, IOSInstalledApp
from spyscan.texts import N_, tr


class IOSSideloadedApp(Rule):
    id = "ios.sideloaded_app"
    title = N_("App installed by an unknown installer")
    severity = Severity.MEDIUM
    why = N_("Stalkerware and some spyware are installed on iPhones outside the App Store. The store record "
             "of this app names an installer that is not the App Store, device management, TestFlight or a "
             "known marketplace. Ask the owner where the app comes from.")
    record_types = (IOSInstalledApp,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, IOSInstalledApp):
            return
        if record.install_source == SOURCE_OTHER:
            yield Finding(record=record, observable_type="app_id", observable_value=record.bundle_id,
                          message=tr("app %(app)s was installed by %(installer)s, an installer that is not the App "
                                     "Store, device management, TestFlight or a known marketplace",
                                     app=record.bundle_id, installer=record.source_app))
        elif record.install_source == SOURCE_MARKETPLACE:
            known = record.installer_name is not None
            where = (tr("the alternative marketplace %(name)s (%(installer)s)", name=record.installer_name,
                        installer=record.source_app) if known
                     else tr("the alternative distributor %(installer)s, which is not in spyscan's list",
                             installer=record.source_app))
            yield Finding(record=record, severity=Severity.INFO if known else Severity.LOW, category=CONTEXT,
                          observable_type="app_id", observable_value=record.bundle_id,
                          message=tr("app %(app)s was installed from %(where)s", app=record.bundle_id, where=where))
