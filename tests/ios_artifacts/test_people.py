from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from spyscan.artifacts.ios.calendar import Calendar
from spyscan.artifacts.ios.calls import Calls
from spyscan.artifacts.ios.contacts import Contacts
from spyscan.artifacts.ios.interactionc import InteractionC
from spyscan.detection.heuristics.ios_kingspawn_calendar import IOSKingSpawnCalendar
from spyscan.detection.model import Severity
from spyscan.errors import ArtifactNotFound
from spyscan.records.ios_people import InteractionCAttachment, InteractionCContact, InteractionCEvent
from tests.ios_artifacts.fakes import FakeIOS, collect, detect, indicator

BAD_EMAIL = indicator("email-addr:value", "attacker@bad-domain.test")
BAD = indicator("domain-name:value", "bad-domain.test")


def test_calls(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", "Library/CallHistoryDB/CallHistory.storedata", [
        "CREATE TABLE ZCALLRECORD (Z_PK INTEGER PRIMARY KEY, ZADDRESS BLOB, ZDATE TIMESTAMP, ZDURATION FLOAT,"
        " ZORIGINATED INTEGER, ZANSWERED INTEGER, ZCALLTYPE INTEGER, ZSERVICE_PROVIDER VARCHAR)",
        "INSERT INTO ZCALLRECORD VALUES (1, CAST('+15550001' AS BLOB), 700000000, 61.5, 1, 1, 1,"
        " 'com.apple.Telephony')",
        "INSERT INTO ZCALLRECORD VALUES (2, 'attacker@bad-domain.test', 700000100, 0, 0, 0, 8, 'com.apple.FaceTime')",
    ])
    records, log = collect(Calls, ev)
    assert any("ZLOCATION" in w for w in log.warnings)  # absent column: warned, field empty
    first, second = records
    assert first.address == "+15550001" and first.direction == "outgoing" and first.duration == 61.5
    assert first.date == datetime(2023, 3, 8, 20, 26, 40, tzinfo=UTC) and first.location is None
    assert second.address_email == "attacker@bad-domain.test" and second.direction == "incoming"
    assert [d.record["call_id"] for d in detect("ios.calls", records, [BAD_EMAIL])] == [2]


def test_contacts(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", "Library/AddressBook/AddressBook.sqlitedb", [
        "CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY, First TEXT, Last TEXT, Organization TEXT, Note TEXT,"
        " CreationDate INTEGER, ModificationDate INTEGER)",
        "CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, identifier INTEGER,"
        " label INTEGER, value TEXT)",
        "INSERT INTO ABPerson VALUES (1, 'Ana', 'Lopez', NULL, NULL, 600000000, 650000000)",
        "INSERT INTO ABMultiValue VALUES (1, 1, 3, 0, 1, '+52 555 000')",
        "INSERT INTO ABMultiValue VALUES (2, 1, 4, 0, 1, 'attacker@bad-domain.test')",
    ])
    records, _ = collect(Contacts, ev)
    (person,) = records
    assert person.phones == ["+52 555 000"] and person.emails == ["attacker@bad-domain.test"]
    assert person.created is not None and person.created.year == 2020
    assert len(detect("ios.contacts", records, [BAD_EMAIL])) == 1


def _calendar(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE Calendar (ROWID INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("CREATE TABLE Identity (ROWID INTEGER PRIMARY KEY, address TEXT)")
    conn.execute("CREATE TABLE Participant (ROWID INTEGER PRIMARY KEY, owner_id INTEGER, email TEXT,"
                 " identity_id INTEGER)")
    conn.execute("CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT, description TEXT,"
                 " start_date REAL, end_date REAL, creation_date REAL, last_modified REAL, organizer_id INTEGER,"
                 " calendar_id INTEGER)")
    conn.execute("INSERT INTO Calendar VALUES (1, 'Home')")
    conn.execute("INSERT INTO Identity VALUES (1, 'mailto:attacker@bad-domain.test')")
    conn.execute("INSERT INTO Participant VALUES (10, 1, NULL, 1)")
    conn.execute("INSERT INTO Participant VALUES (11, 1, 'me@example.org', NULL)")
    conn.execute("INSERT INTO CalendarItem VALUES (1, 'Meeting', 'Notes', -3.0e7, -2.9e7, 650000000, 650000000,"
                 " 10, 1)")
    conn.execute("INSERT INTO CalendarItem VALUES (2, 'Dentist', 'bring card', 650000000, 650001000, NULL, NULL,"
                 " NULL, 1)")


def test_calendar_events_participants_and_kingspawn(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", "Library/Calendar/Calendar.sqlitedb", _calendar)
    records, _ = collect(Calendar, ev)
    meeting, dentist = records
    assert meeting.organizer_email == "attacker@bad-domain.test" and meeting.attendee_emails == ["me@example.org"]
    assert meeting.calendar == "Home" and meeting.start is not None and meeting.start.year == 2000
    assert dentist.organizer_email is None and dentist.created is None
    assert [d.record["event_id"] for d in detect("ios.calendar", records, [BAD_EMAIL])] == [1]
    found = detect("ios.calendar", records, rules=[IOSKingSpawnCalendar])
    assert [d.record["event_id"] for d in found] == [1] and found[0].severity is Severity.HIGH


def test_calendar_missing_table(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", "Library/Calendar/Calendar.sqlitedb", ["CREATE TABLE x (a)"])
    with pytest.raises(ArtifactNotFound):
        collect(Calendar, ev)


def test_interactionc(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", "Library/CoreDuet/People/interactionC.db", [
        "CREATE TABLE ZCONTACTS (Z_PK INTEGER PRIMARY KEY, ZDISPLAYNAME VARCHAR, ZIDENTIFIER VARCHAR,"
        " ZCUSTOMIDENTIFIER VARCHAR, ZPERSONID VARCHAR, ZCREATIONDATE TIMESTAMP)",
        "CREATE TABLE ZINTERACTIONS (Z_PK INTEGER PRIMARY KEY, ZBUNDLEID VARCHAR, ZTARGETBUNDLEID VARCHAR,"
        " ZACCOUNT VARCHAR, ZDOMAINIDENTIFIER VARCHAR, ZGROUPNAME VARCHAR, ZCONTENTURL VARCHAR, ZDIRECTION INTEGER,"
        " ZMECHANISM INTEGER, ZSENDER INTEGER, ZSTARTDATE TIMESTAMP, ZENDDATE TIMESTAMP)",
        "CREATE TABLE ZATTACHMENT (Z_PK INTEGER PRIMARY KEY, ZCONTENTURL VARCHAR, ZIDENTIFIER VARCHAR, ZUTI VARCHAR,"
        " ZCONTENTTEXT VARCHAR, ZCREATIONDATE TIMESTAMP)",
        "INSERT INTO ZCONTACTS VALUES (1, 'X', 'mailto:attacker@bad-domain.test', NULL, NULL, 650000000)",
        "INSERT INTO ZINTERACTIONS VALUES (1, 'com.evil.app', NULL, 'attacker@bad-domain.test', NULL, NULL,"
        " 'https://cdn.bad-domain.test/c', 1, 4, 1, 650000000, 650000001)",
        "INSERT INTO ZATTACHMENT VALUES (1, 'https://files.bad-domain.test/a.png', X'00112233445566778899AABBCCDDEEFF',"
        " 'public.png', NULL, 650000000)",
        # iOS 14-17 style join tables (entity 1 = attachment, 2 = contacts, 3 = interactions)
        "CREATE TABLE Z_1INTERACTIONS (Z_1ATTACHMENTS INTEGER, Z_3INTERACTIONS INTEGER,"
        " PRIMARY KEY (Z_1ATTACHMENTS, Z_3INTERACTIONS))",
        "CREATE TABLE Z_2INTERACTIONRECIPIENT (Z_2RECIPIENTS INTEGER, Z_3INTERACTIONRECIPIENT INTEGER,"
        " PRIMARY KEY (Z_2RECIPIENTS, Z_3INTERACTIONRECIPIENT))",
        "INSERT INTO ZCONTACTS VALUES (2, 'Me', 'mailto:me@example.org', NULL, NULL, 650000000)",
        "INSERT INTO Z_1INTERACTIONS VALUES (1, 1)",
        "INSERT INTO Z_2INTERACTIONRECIPIENT VALUES (2, 1)",
    ])
    records, log = collect(InteractionC, ev)
    assert not log.warnings
    event = next(r for r in records if isinstance(r, InteractionCEvent))
    assert event.bundle_id == "com.evil.app" and event.sender_email == "attacker@bad-domain.test"
    assert event.sender_name == "X" and event.recipients == ["mailto:me@example.org"]
    assert event.recipient_emails == ["me@example.org"] and event.attachment_ids == [1]
    assert event.content_url == "https://cdn.bad-domain.test/c" and event.start is not None
    contact = next(r for r in records if isinstance(r, InteractionCContact))
    assert contact.identifier_email == "attacker@bad-domain.test"
    attachment = next(r for r in records if isinstance(r, InteractionCAttachment))
    assert attachment.content_url == "https://files.bad-domain.test/a.png" and attachment.interaction_ids == [1]
    assert attachment.identifier == "00112233445566778899AABBCCDDEEFF"
    app = indicator("app:id", "com.evil.app")
    found = detect("ios.interactionc", records, [BAD, BAD_EMAIL, app])
    fields = {(d.record["record_type"], d.observable.value if d.observable else "") for d in found}
    assert ("ios.interactionc_event", "com.evil.app") in fields
    assert ("ios.interactionc_attachment", "https://files.bad-domain.test/a.png") in fields
    assert ("ios.interactionc_event", "https://cdn.bad-domain.test/c") in fields
    email = next(d for d in found if d.observable and d.observable.value == "attacker@bad-domain.test")
    assert any("ZCONTACTS" in o.source for o in email.occurrences)  # the contact is one occurrence of it


def test_interactionc_other_entity_numbers_and_older_columns(tmp_path: Path) -> None:
    """Join tables are recognised by their column names whatever the Core Data entity numbers."""
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", "Library/CoreDuet/People/interactionC.db", [
        "CREATE TABLE ZCONTACTS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZDISPLAYNAME VARCHAR,"
        " ZIDENTIFIER VARCHAR, ZPERSONID VARCHAR, ZCREATIONDATE TIMESTAMP)",
        "CREATE TABLE ZINTERACTIONS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZBUNDLEID VARCHAR,"
        " ZDIRECTION INTEGER, ZMECHANISM INTEGER, ZSENDER INTEGER, ZSTARTDATE TIMESTAMP, ZENDDATE TIMESTAMP)",
        "CREATE TABLE ZATTACHMENT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCONTENTURL VARCHAR,"
        " ZUTI VARCHAR, ZCONTENTTEXT VARCHAR, ZCREATIONDATE TIMESTAMP)",
        "CREATE TABLE Z_4INTERACTIONS (Z_4ATTACHMENTS INTEGER, Z_7INTERACTIONS INTEGER)",
        "CREATE TABLE Z_5INTERACTIONRECIPIENT (Z_5RECIPIENTS INTEGER, Z_7INTERACTIONRECIPIENT INTEGER)",
        "INSERT INTO ZCONTACTS VALUES (1, 5, 1, 'Apple', 'threat-notifications@apple.com', NULL, 600000000)",
        "INSERT INTO ZCONTACTS VALUES (2, 5, 1, 'Me', '+15550001', NULL, 600000000)",
        "INSERT INTO ZINTERACTIONS VALUES (9, 7, 1, 'com.apple.mobilemail', 0, 1, 1, 600000000, 600000000)",
        "INSERT INTO ZATTACHMENT VALUES (3, 4, 1, NULL, 'public.text', 'ALERT: Apple detected a targeted"
        " mercenary spyware attack against your iPhone', 600000000)",
        "INSERT INTO Z_4INTERACTIONS VALUES (3, 9)",
        "INSERT INTO Z_5INTERACTIONRECIPIENT VALUES (2, 9)",
    ])
    records, log = collect(InteractionC, ev)
    assert any("ZACCOUNT" in w for w in log.warnings)  # older schema: missing columns are named
    event = next(r for r in records if isinstance(r, InteractionCEvent))
    assert event.attachment_ids == [3] and event.recipients == ["+15550001"] and event.recipient_emails == []
    assert event.sender_email == "threat-notifications@apple.com"
    attachment = next(r for r in records if isinstance(r, InteractionCAttachment))
    assert attachment.interaction_ids == [9] and attachment.identifier is None


def test_threat_notification_in_mail_interactions_and_whatsapp(tmp_path: Path) -> None:
    from spyscan.detection.heuristics.ios_threat_notification import IOSThreatNotification
    from spyscan.records.base import SourceRef
    from spyscan.records.ios_messages import WhatsAppMessage

    records = _threat_records(tmp_path)
    found = detect("ios.interactionc", records, rules=[IOSThreatNotification])
    kinds = sorted((d.record["record_type"], d.observable.type if d.observable else "") for d in found)
    assert kinds == [("ios.interactionc_attachment", "text"), ("ios.interactionc_event", "email")]
    wa = WhatsAppMessage(source=SourceRef(file="x"), direction="received", text="ALERT: State-sponsored attackers"
                         " may be targeting your iPhone")
    sent = WhatsAppMessage(source=SourceRef(file="x"), direction="sent", text=wa.text)
    assert len(detect("ios.whatsapp_messages", [wa, sent], rules=[IOSThreatNotification])) == 1


def _threat_records(tmp_path: Path) -> list[Any]:
    ev = FakeIOS(tmp_path / "threat")
    ev.add_sqlite("HomeDomain", "Library/CoreDuet/People/interactionC.db", [
        "CREATE TABLE ZCONTACTS (Z_PK INTEGER PRIMARY KEY, ZDISPLAYNAME VARCHAR, ZIDENTIFIER VARCHAR)",
        "CREATE TABLE ZINTERACTIONS (Z_PK INTEGER PRIMARY KEY, ZBUNDLEID VARCHAR, ZDIRECTION INTEGER,"
        " ZSENDER INTEGER, ZSTARTDATE TIMESTAMP)",
        "CREATE TABLE ZATTACHMENT (Z_PK INTEGER PRIMARY KEY, ZCONTENTTEXT VARCHAR)",
        "INSERT INTO ZCONTACTS VALUES (1, 'Apple', 'mailto:threat-notifications@apple.com')",
        "INSERT INTO ZINTERACTIONS VALUES (1, 'com.apple.mobilemail', 0, 1, 600000000)",
        "INSERT INTO ZINTERACTIONS VALUES (2, 'com.apple.mobilemail', 1, 1, 600000000)",
        "INSERT INTO ZATTACHMENT VALUES (1, 'Apple detected a targeted mercenary spyware attack against you')",
    ])
    records, _ = collect(InteractionC, ev)
    return records
