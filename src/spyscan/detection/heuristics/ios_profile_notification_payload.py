"""A configuration profile that changes notification settings."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_profiles import IOSConfigurationProfile
from spyscan.texts import N_, tr

NOTIFICATION_PAYLOAD = "com.apple.notificationsettings"


class IOSProfileNotificationPayload(Rule):
    id = "ios.profile_notification_payload"
    title = N_("Configuration profile changing notification settings")
    severity = Severity.MEDIUM
    why = N_("A profile with a notification-settings payload can silence an app's notifications. Spyware "
             "operators have installed such profiles to hide the traces of exploitation (e.g. notifications "
             "from the messaging app used to deliver an exploit). Ordinary users rarely have one.")
    record_types = (IOSConfigurationProfile,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, IOSConfigurationProfile):
            return
        if any(t.lower() == NOTIFICATION_PAYLOAD for t in record.payload_types):
            name = record.display_name or record.identifier or record.uuid or "?"
            yield Finding(record=record, observable_type="profile_id",
                          observable_value=record.uuid or record.identifier,
                          message=tr("configuration profile '%(name)s' carries a %(payload)s payload", name=name,
                                     payload=NOTIFICATION_PAYLOAD))
