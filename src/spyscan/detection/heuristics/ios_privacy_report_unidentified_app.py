"""App Privacy Report: network activity or data access by something that is not an identified app.

An App Privacy Report names apps by bundle id (``com.example.app``). A program named by a path, or an
identifier that is not a well-formed bundle id, is not an app the owner installed from a store. Paths
are graded like shutdown.log clients (``ios_shutdown_unusual_client``): system locations and app
bundles are normal, spyware-typical data folders (``/private/var/db/``, ``/private/var/tmp/``...) are
HIGH, any other place MEDIUM. A malformed or missing identifier is LOW: worth a look, not a sign.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.heuristics.ios_shutdown_unusual_client import classify
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_privacy_report import PrivacyReportAccess, PrivacyReportNetwork
from spyscan.texts import N_, tr

# CFBundleIdentifier: letters, digits, hyphens and periods, reverse-DNS (Apple's Info.plist reference)
BUNDLE_ID = re.compile(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")


def _what(record: PrivacyReportAccess | PrivacyReportNetwork) -> str:
    if isinstance(record, PrivacyReportNetwork):
        return tr("contacted %(domain)s", domain=record.domain) if record.domain else tr("contacted a domain")
    return tr("used %(category)s", category=record.category) if record.category else tr("used a sensor or data")


class PrivacyReportUnidentifiedApp(Rule):
    id = "ios.privacy_report_unidentified_app"
    title = N_("App Privacy Report: activity by a program that is not an identified app")
    severity = Severity.MEDIUM
    why = N_("The App Privacy Report names apps by their bundle id. A program named by a file path outside the "
             "system and app folders, or by an identifier that is not a bundle id, is not an app installed from a "
             "store; known iPhone spyware ran from data folders such as /private/var/db/.")
    record_types = (PrivacyReportNetwork, PrivacyReportAccess)

    def check(self, record: Record) -> Iterable[Finding]:
        if isinstance(record, PrivacyReportNetwork):
            name = record.bundle_id
        elif isinstance(record, PrivacyReportAccess):
            name = record.path or record.bundle_id
        else:
            return
        what = _what(record)
        if not name:
            yield Finding(record=record, severity=Severity.LOW, message=tr("a program with no identifier %(what)s",
                                                                           what=what))
            return
        if name.startswith("/"):
            severity = classify(name)
            if severity is not None:
                yield Finding(record=record, severity=severity, observable_type="file_path", observable_value=name,
                              message=tr("the program %(name)s, outside the system and app folders, %(what)s",
                                         name=name, what=what))
            return
        if not BUNDLE_ID.match(name):
            yield Finding(record=record, severity=Severity.LOW, observable_type="app_id", observable_value=name,
                          message=tr("'%(name)s', which is not a well-formed app bundle id, %(what)s", name=name,
                                     what=what))
