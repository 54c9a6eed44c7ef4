"""Records from Android ``adb backup`` files: SMS and MMS of the telephony provider's backup."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class BackupSMS(Record, frozen=True, tag="android.backup.sms"):
    address: str | None = None
    body: str | None = None
    links: list[str] = []  # URLs found in the body
    direction: str | None = None  # "received", "sent", "draft", "outbox", "failed", "queued" or the raw type
    read: bool | None = None
    date: datetime | None = None
    date_raw: str | None = None
    date_sent: datetime | None = None
    date_sent_raw: Raw = None  # the stored value

    TIMESTAMPS = (("date", N_("SMS received or sent")), ("date_sent", N_("SMS sent (sender's clock)")))
    OBSERVABLES = (("body", Obs.TEXT), ("links", Obs.URL))

    def summary(self) -> str:
        return f"SMS {self.direction or ''} {self.address or '?'}: {(self.body or '')[:200]}".replace("  ", " ")


class BackupMMS(Record, frozen=True, tag="android.backup.mms"):
    addresses: list[str] = []
    body: str | None = None
    links: list[str] = []
    direction: str | None = None  # from msg_box
    read: bool | None = None
    date: datetime | None = None
    date_raw: str | None = None
    date_sent: datetime | None = None
    date_sent_raw: Raw = None  # the stored value

    TIMESTAMPS = (("date", N_("MMS received or sent")), ("date_sent", N_("MMS sent (sender's clock)")))
    OBSERVABLES = (("body", Obs.TEXT), ("links", Obs.URL))

    def summary(self) -> str:
        who = ",".join(self.addresses[:3]) or "?"
        return f"MMS {self.direction or ''} {who}: {(self.body or '')[:200]}".replace("  ", " ")


class BackupCall(Record, frozen=True, tag="android.backup.call"):
    """One row of the call log (``calls`` table of ``contacts2.db`` up to Android 6, ``calllog.db`` after)."""

    number: str | None = None
    name: str | None = None  # the contact name the phone stored with the call
    direction: str | None = None  # incoming, outgoing, missed, voicemail, rejected, blocked, or the raw type
    duration: int | None = None  # seconds
    date: datetime | None = None
    date_raw: Raw = None  # the stored value (ms since 1970)

    TIMESTAMPS = (("date", N_("call")),)

    def summary(self) -> str:
        return f"call {self.direction or ''} {self.number or '?'} ({self.duration or 0} s)".replace("  ", " ")
