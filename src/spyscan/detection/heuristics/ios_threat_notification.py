"""An Apple threat notification received in Messages (or from Apple's threat-notification address)."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_messages import SMSMessage

NOTIFICATION_SENDER = "threat-notifications@apple.com"
# Lower-cased wording Apple has used in its threat notifications (2021 "state-sponsored", 2024+ "mercenary").
PHRASES = (
    "apple believes you are being targeted by state-sponsored attackers",
    "targeted by state-sponsored attackers",
    "mercenary spyware attack",
    "targeted mercenary spyware",
    "apple threat notification",
    NOTIFICATION_SENDER,
)


def notification_phrase(text: str | None) -> str | None:
    if not text:
        return None
    lowered = " ".join(text.lower().replace("\u2019", "'").split())
    return next((p for p in PHRASES if p in lowered), None)


class IOSThreatNotification(Rule):
    id = "ios.threat_notification"
    title = "Apple threat notification received"
    severity = Severity.HIGH
    why = ("Apple sends threat notifications to people it believes were targeted by state-sponsored or "
           "mercenary spyware. The device should be examined thoroughly and the person supported by a "
           "digital-security helpline.")
    record_types = (SMSMessage,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, SMSMessage) or record.direction == "sent":
            return
        sender = (record.handle_email or record.handle or "").strip().lower()
        if sender == NOTIFICATION_SENDER:
            yield Finding(record=record, message=f"message from Apple's threat-notification address {sender}",
                          observable_type="email", observable_value=sender)
            return
        phrase = notification_phrase(record.text)
        if phrase:
            yield Finding(record=record, message=f"message with Apple threat-notification wording: {phrase!r}",
                          observable_type="text", observable_value=(record.text or "")[:300])
