"""iOS records about people and interactions: calls, contacts, calendar events, InteractionC."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class CallRecord(Record, frozen=True, tag="ios.call"):
    call_id: int | None = None
    address: str | None = None  # phone number, e-mail (FaceTime) or other handle
    address_email: str | None = None
    name: str | None = None
    service: str | None = None  # e.g. com.apple.Telephony, com.apple.FaceTime, an app's bundle id
    service_app_id: str | None = None
    direction: str | None = None  # "outgoing" / "incoming"
    answered: bool | None = None
    call_type: int | None = None
    duration: float | None = None  # seconds
    location: str | None = None
    date: datetime | None = None
    date_raw: Raw = None

    TIMESTAMPS = (("date", N_("call")),)
    OBSERVABLES = (("address_email", Obs.EMAIL), ("service_app_id", Obs.APP_ID))

    def summary(self) -> str:
        return f"{self.direction or ''} call {self.address or 'unknown'} via {self.service or '?'} ({self.duration}s)"


class Contact(Record, frozen=True, tag="ios.contact"):
    person_id: int | None = None
    first_name: str | None = None
    last_name: str | None = None
    organization: str | None = None
    note: str | None = None
    phones: list[str] = []
    emails: list[str] = []
    urls: list[str] = []
    created: datetime | None = None
    created_raw: Raw = None
    modified: datetime | None = None
    modified_raw: Raw = None

    TIMESTAMPS = (("created", N_("contact created")), ("modified", N_("contact modified")))
    OBSERVABLES = (("emails", Obs.EMAIL), ("urls", Obs.URL), ("note", Obs.TEXT))

    def summary(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p) or self.organization or "?"
        return f"contact {name} {','.join(self.phones[:3])} {','.join(self.emails[:3])}".strip()


class CalendarEvent(Record, frozen=True, tag="ios.calendar_event"):
    event_id: int | None = None
    title: str | None = None
    notes: str | None = None
    location: str | None = None
    url: str | None = None
    calendar: str | None = None
    organizer_email: str | None = None
    attendee_emails: list[str] = []
    start: datetime | None = None
    start_raw: Raw = None
    end: datetime | None = None
    end_raw: Raw = None
    created: datetime | None = None
    created_raw: Raw = None
    modified: datetime | None = None
    modified_raw: Raw = None

    TIMESTAMPS = (("start", N_("calendar event starts")), ("created", N_("calendar event created")))
    OBSERVABLES = (
        ("organizer_email", Obs.EMAIL),
        ("attendee_emails", Obs.EMAIL),
        ("title", Obs.TEXT),
        ("notes", Obs.TEXT),
        ("url", Obs.URL),
    )

    def summary(self) -> str:
        return f"calendar event {self.title!r} organised by {self.organizer_email or 'unknown'}"


class InteractionCEvent(Record, frozen=True, tag="ios.interactionc_event"):
    interaction_id: int | None = None
    bundle_id: str | None = None
    target_bundle_id: str | None = None
    account: str | None = None
    account_email: str | None = None
    domain_identifier: str | None = None
    group_name: str | None = None
    content_url: str | None = None
    direction: int | None = None
    mechanism: int | None = None
    sender: str | None = None  # sender contact identifier
    sender_email: str | None = None
    sender_name: str | None = None
    recipients: list[str] = []  # recipient contact identifiers (join table *INTERACTIONRECIPIENT)
    recipient_emails: list[str] = []
    attachment_ids: list[int] = []  # ZATTACHMENT keys linked through the join table *INTERACTIONS
    start: datetime | None = None
    start_raw: Raw = None
    end: datetime | None = None
    end_raw: Raw = None

    TIMESTAMPS = (("start", N_("interaction")),)
    OBSERVABLES = (
        ("bundle_id", Obs.APP_ID),
        ("target_bundle_id", Obs.APP_ID),
        ("account_email", Obs.EMAIL),
        ("account", Obs.TEXT),
        ("content_url", Obs.URL),
        ("sender_email", Obs.EMAIL),
        ("recipient_emails", Obs.EMAIL),
    )

    def summary(self) -> str:
        return f"interaction in {self.bundle_id} account {self.account or '-'} sender {self.sender or '-'}"


class InteractionCContact(Record, frozen=True, tag="ios.interactionc_contact"):
    contact_id: int | None = None
    display_name: str | None = None
    identifier: str | None = None
    identifier_email: str | None = None
    custom_identifier: str | None = None
    person_id: str | None = None
    creation: datetime | None = None
    creation_raw: Raw = None

    TIMESTAMPS = (("creation", N_("interaction contact first seen")),)
    OBSERVABLES = (("identifier_email", Obs.EMAIL), ("identifier", Obs.TEXT), ("custom_identifier", Obs.TEXT))


class InteractionCAttachment(Record, frozen=True, tag="ios.interactionc_attachment"):
    attachment_id: int | None = None
    interaction_ids: list[int] = []  # ZINTERACTIONS keys this attachment belongs to
    content_url: str | None = None
    identifier: str | None = None
    uti: str | None = None
    content_text: str | None = None
    creation: datetime | None = None
    creation_raw: Raw = None

    TIMESTAMPS = (("creation", N_("interaction attachment")),)
    OBSERVABLES = (("content_url", Obs.URL), ("content_text", Obs.TEXT))
