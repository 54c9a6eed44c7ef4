"""An Apple threat notification received: in Messages, WhatsApp, or mail (seen through interactionC).

Apple notifies targeted people by iMessage and by e-mail to their Apple Account address (sender
``threat-notifications@apple.com``); the wording is matched in message texts and in interactionC
attachment texts, the sender address in message handles and interactionC senders.
"""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_messages import SMSMessage, WhatsAppMessage
from spyscan.records.ios_people import InteractionCAttachment, InteractionCEvent
from spyscan.texts import N_, tr

NOTIFICATION_SENDER = "threat-notifications@apple.com"
INCOMING = 0  # ZINTERACTIONS.ZDIRECTION: 0 incoming, 1 outgoing
# Lower-cased wording Apple has used in its threat notifications (2021 "state-sponsored", 2024+ "mercenary").
PHRASES = (
    "apple believes you are being targeted by state-sponsored attackers",
    "state-sponsored attackers may be targeting your iphone",
    "targeted by state-sponsored attackers",
    "apple detected a targeted mercenary spyware attack",
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


def _sender_and_text(record: Record) -> tuple[str, str | None] | None:
    """``(sender address, text)`` of a received record, None for sent ones or other types."""
    if isinstance(record, SMSMessage | WhatsAppMessage):
        if record.direction == "sent":
            return None
        if isinstance(record, SMSMessage):
            return (record.handle_email or record.handle or ""), record.text
        return (record.from_jid or ""), " ".join(t for t in (record.text, *record.link_preview) if t)
    if isinstance(record, InteractionCEvent):
        return ("" if record.direction == 1 else record.sender_email or record.sender or ""), None
    if isinstance(record, InteractionCAttachment):
        return "", record.content_text
    return None


class IOSThreatNotification(Rule):
    id = "ios.threat_notification"
    title = N_("Apple threat notification received")
    severity = Severity.HIGH
    why = N_("Apple sends threat notifications to people it believes were targeted by state-sponsored or "
             "mercenary spyware. The device should be examined thoroughly and the person supported by a "
             "digital-security helpline.")
    record_types = (SMSMessage, WhatsAppMessage, InteractionCEvent, InteractionCAttachment)

    def check(self, record: Record) -> Iterable[Finding]:
        found = _sender_and_text(record)
        if found is None:
            return
        sender, body = found
        sender = sender.strip().lower()
        if sender.startswith("mailto:"):
            sender = sender[len("mailto:"):]
        if sender == NOTIFICATION_SENDER:
            yield Finding(record=record, message=tr("message from Apple's threat-notification address %(sender)s",
                                                    sender=sender),
                          observable_type="email", observable_value=sender)
            return
        phrase = notification_phrase(body)
        if phrase:
            yield Finding(record=record, message=tr("message with Apple threat-notification wording: '%(phrase)s'",
                                                    phrase=phrase),
                          observable_type="text", observable_value=(body or "")[:300])
