"""iOS messaging records: SMS/iMessage messages and attachments, WhatsApp messages and contacts."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class SMSMessage(Record, frozen=True, tag="ios.sms_message"):
    message_id: int | None = None
    guid: str | None = None
    text: str | None = None
    text_from_attributed_body: bool = False  # text recovered from the attributedBody archive
    links: list[str] = []
    service: str | None = None  # SMS, iMessage, RCS
    direction: str | None = None  # "sent" or "received"
    handle: str | None = None  # the other party's phone number or e-mail as stored
    handle_phone: str | None = None
    handle_email: str | None = None
    account: str | None = None
    date: datetime | None = None
    date_raw: Raw = None
    date_read: datetime | None = None
    date_read_raw: Raw = None

    TIMESTAMPS = (("date", N_("message")), ("date_read", N_("message read")))
    OBSERVABLES = (("text", Obs.TEXT), ("links", Obs.URL), ("handle_email", Obs.EMAIL))

    def summary(self) -> str:
        who = self.handle or "unknown"
        arrow = "to" if self.direction == "sent" else "from"
        body = (self.text or "")[:120]
        return f"{self.service or 'message'} {arrow} {who}: {body}"


class SMSAttachment(Record, frozen=True, tag="ios.sms_attachment"):
    attachment_id: int | None = None
    message_id: int | None = None
    guid: str | None = None
    filename: str | None = None  # path on the device, e.g. ~/Library/SMS/Attachments/...
    mime_type: str | None = None
    transfer_name: str | None = None
    total_bytes: int | None = None
    direction: str | None = None
    handle: str | None = None
    created: datetime | None = None
    created_raw: Raw = None

    TIMESTAMPS = (("created", N_("message attachment created")),)
    OBSERVABLES = (("filename", Obs.FILE_PATH), ("transfer_name", Obs.FILE_NAME))

    def summary(self) -> str:
        return f"{self.direction or ''} attachment {self.transfer_name or self.filename} ({self.mime_type})".strip()


class WhatsAppMessage(Record, frozen=True, tag="ios.whatsapp_message"):
    message_id: int | None = None
    text: str | None = None
    links: list[str] = []
    media_url: str | None = None
    media_local_path: str | None = None
    media_title: str | None = None
    link_preview: list[str] = []  # ZWAMESSAGEDATAITEM texts: previewed URL, title, summary
    direction: str | None = None
    from_jid: str | None = None
    to_jid: str | None = None
    chat_jid: str | None = None
    chat_name: str | None = None
    message_type: int | None = None
    date: datetime | None = None
    date_raw: Raw = None
    sent_date: datetime | None = None
    sent_date_raw: Raw = None

    TIMESTAMPS = (("date", N_("WhatsApp message")),)
    OBSERVABLES = (("text", Obs.TEXT), ("links", Obs.URL), ("media_url", Obs.URL), ("media_title", Obs.TEXT))

    def summary(self) -> str:
        return f"WhatsApp {self.direction or ''} {self.chat_name or self.chat_jid or ''}: {(self.text or '')[:120]}"


class WhatsAppContact(Record, frozen=True, tag="ios.whatsapp_contact"):
    full_name: str | None = None
    phone: str | None = None
    jid: str | None = None
    about_text: str | None = None
    links: list[str] = []

    OBSERVABLES = (("about_text", Obs.TEXT), ("links", Obs.URL))

    def summary(self) -> str:
        return f"WhatsApp contact {self.full_name or ''} {self.phone or self.jid or ''}".strip()
