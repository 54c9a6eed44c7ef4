"""App Privacy Report: an app used sensors or personal data, then fell silent; is it still installed?

The report alone cannot say whether an app is installed: it lists activity, not apps. What it does
show is when each app was last active. An app (outside Apple's ``com.apple.`` namespace) that used the
camera, microphone, location, contacts, photos or the screen, and shows no activity at all in the last
``QUIET_DAYS`` days of the report while other apps do, is named so that the analyst can check, with
the owner, whether it is still on the phone. A stalkerware app removed before the phone was returned
would look like this, and so would an app the owner simply stopped using: LOW, never more.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_privacy_report import PrivacyReportAccess, PrivacyReportNetwork
from spyscan.texts import N_, trn
from spyscan.timeutil import iso

QUIET_DAYS = 3
SENSITIVE = frozenset({"camera", "microphone", "location", "contacts", "photos", "screenRecording",
                       "mediaLibrary", "calendars", "reminders"})


class PrivacyReportAppGone(Rule):
    id = "ios.privacy_report_app_gone"
    title = N_("App Privacy Report: an app that used sensors or personal data was silent afterwards")
    severity = Severity.LOW
    why = N_("The App Privacy Report keeps about seven days of activity, including that of apps removed since. An "
             "app that used the microphone, camera, location or personal data and was then silent may have been "
             "removed (as an abuser may do with stalkerware before returning a phone) or simply not used: the "
             "report cannot tell which. Check with the owner whether the app is still on the phone and known to "
             "them.")
    record_types = (PrivacyReportAccess, PrivacyReportNetwork)

    def __init__(self) -> None:
        self._end: datetime | None = None
        self._last: dict[str, datetime] = {}
        self._access: dict[str, PrivacyReportAccess] = {}  # the first sensitive access of each app
        self._categories: dict[str, set[str]] = {}

    def check(self, record: Record) -> Iterable[Finding]:
        if isinstance(record, PrivacyReportAccess):
            app, when = record.bundle_id, record.time
        elif isinstance(record, PrivacyReportNetwork):
            app, when = record.bundle_id, record.time or record.first_time
        else:
            return ()
        if when is None:
            return ()
        if self._end is None or when > self._end:
            self._end = when
        if not app or app.startswith("com.apple."):
            return ()
        if app not in self._last or when > self._last[app]:
            self._last[app] = when
        if isinstance(record, PrivacyReportAccess) and record.category in SENSITIVE:
            self._access.setdefault(app, record)
            self._categories.setdefault(app, set()).add(record.category)
        return ()

    def finish(self) -> Iterable[Finding]:
        if self._end is None:
            return
        cutoff = self._end - timedelta(days=QUIET_DAYS)
        for app, record in sorted(self._access.items()):
            last = self._last[app]
            if last >= cutoff:
                continue
            used = ", ".join(sorted(self._categories[app]))
            yield Finding(record=record, observable_type="app_id", observable_value=app,
                          message=trn("%(app)s used %(used)s and was last active at %(last)s, %(num)d day before the "
                                      "report's last entry (%(end)s); check with the owner whether it is still "
                                      "installed and known to them",
                                      "%(app)s used %(used)s and was last active at %(last)s, %(num)d days before the "
                                      "report's last entry (%(end)s); check with the owner whether it is still "
                                      "installed and known to them",
                                      (self._end - last).days, app=app, used=used, last=iso(last), end=iso(self._end)))
