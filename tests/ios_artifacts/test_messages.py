from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from spyscan.artifacts.ios._text import attributed_body_text
from spyscan.artifacts.ios.sms import SMSMessages
from spyscan.artifacts.ios.sms_attachments import SMSAttachments
from spyscan.artifacts.ios.whatsapp_contacts import WhatsAppContacts
from spyscan.artifacts.ios.whatsapp_messages import GROUP, WhatsAppMessages
from spyscan.detection.heuristics.ios_threat_notification import IOSThreatNotification
from spyscan.detection.heuristics.ios_tmp_attachment import IOSTmpAttachment
from spyscan.detection.model import Severity
from tests.ios_artifacts.fakes import FakeIOS, collect, detect, indicator

REL = "Library/SMS/sms.db"
BAD = indicator("domain-name:value", "bad-domain.test")
NANO_2024 = int((datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC) - datetime(2001, 1, 1, tzinfo=UTC)).total_seconds()) * 10**9
NOTICE = ("ALERT: Apple detected a targeted mercenary spyware attack against your iPhone. "
          "Apple believes you are being targeted by a mercenary spyware attack.")


def typedstream(text: str) -> bytes:
    data = text.encode()
    size = bytes([len(data)]) if len(data) < 0x80 else b"\x81" + len(data).to_bytes(2, "little")
    return (b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00\x84\x84\x08"
            b"NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+" + size + data + b"\x86\x84\x02iI")


def sms_db(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT, service TEXT)")
    conn.execute("CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, text TEXT, attributedBody BLOB,"
                 " service TEXT, date INTEGER, date_read INTEGER, is_from_me INTEGER, handle_id INTEGER, account TEXT)")
    conn.execute("CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY, guid TEXT, created_date INTEGER, filename TEXT,"
                 " mime_type TEXT, transfer_name TEXT, total_bytes INTEGER, is_outgoing INTEGER)")
    conn.execute("CREATE TABLE message_attachment_join (message_id INTEGER, attachment_id INTEGER)")
    conn.executemany("INSERT INTO handle VALUES (?, ?, ?)", [
        (1, "+15551234567", "SMS"), (2, "threat-notifications@apple.com", "iMessage"),
        (3, "friend@example.org", "iMessage")])
    conn.executemany("INSERT INTO message VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        (1, "g1", "Your parcel: https://track.bad-domain.test/p?id=1 <script>x</script>", None, "SMS",
         NANO_2024, 0, 0, 1, None),
        (2, "g2", None, typedstream("see www.bad-domain.test/x now"), "iMessage", 600000000, 600000100, 0, 3,
         "e:me@example.org"),
        (3, "g3", NOTICE, None, "iMessage", 700000000, 0, 0, 2, None),
        (4, "g4", "Apple believes you are being targeted by state-sponsored attackers", None, "iMessage",
         -50000000, 0, 1, 3, None),
        (5, "g5", None, b"\x00\xff garbage", "iMessage", 1200000000, 0, 0, 3, None),
    ])
    conn.execute("INSERT INTO message VALUES (6, 'g6', CAST(X'6869FF00' AS TEXT), NULL, 'SMS', 0, 0, 0, 1, NULL)")
    conn.executemany("INSERT INTO attachment VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        (1, "a1", 700000000, "/private/var/tmp/com.apple.messages/ABC-1", "image/gif", "ABC-1", 100, 0),
        (2, "a2", 700000000, "~/Library/SMS/Attachments/aa/01/IMG_1.jpg", "image/jpeg", "IMG_1.jpg", 5, 0),
        (3, "a3", 700000000, "/var/tmp/sent-1", "image/gif", "sent-1", 5, 1),
    ])
    conn.executemany("INSERT INTO message_attachment_join VALUES (?, ?)", [(1, 1), (2, 2), (4, 3)])


def _sms(tmp_path: Path) -> FakeIOS:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, sms_db)
    return ev


def test_sms_fields_dates_links_and_hostile_content(tmp_path: Path) -> None:
    records, log = collect(SMSMessages, _sms(tmp_path))
    by_id = {r.message_id: r for r in records}
    first = by_id[1]
    assert first.date == datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC) and first.date_raw == NANO_2024
    assert first.date_read is None and first.direction == "received" and first.handle_phone == "+15551234567"
    assert first.links == ["https://track.bad-domain.test/p?id=1"] and "<script>" in (first.text or "")
    second = by_id[2]
    assert second.text == "see www.bad-domain.test/x now" and second.text_from_attributed_body
    assert second.links == ["www.bad-domain.test/x"] and second.handle_email == "friend@example.org"
    # 1999 is before the first iPhone: no time, the stored value kept (docs/robustness.md)
    assert by_id[4].direction == "sent" and by_id[4].date is None and by_id[4].date_raw == -50000000
    assert by_id[5].date is not None and by_id[5].date.year == 2039 and by_id[5].text is None
    assert by_id[6].text == "hi\\xff\\x00" and by_id[6].date is None
    assert any("attributedBody" in w for w in log.warnings)
    assert by_id[1].source.table == "message" and by_id[1].source.rowid == 1


def test_sms_indicator_hits_text_and_attributed_body(tmp_path: Path) -> None:
    records, _ = collect(SMSMessages, _sms(tmp_path))
    found = detect("ios.sms", records, [BAD])
    assert {d.record["message_id"] for d in found} == {1, 2}


def test_threat_notification_rule(tmp_path: Path) -> None:
    records, _ = collect(SMSMessages, _sms(tmp_path))
    found = detect("ios.sms", records, rules=[IOSThreatNotification])
    assert {d.record["message_id"] for d in found} == {3}  # message 4 has the wording but was sent
    assert found[0].severity is Severity.HIGH and found[0].rule == "ios.threat_notification"


def test_threat_notification_wording_from_other_sender(tmp_path: Path) -> None:
    from spyscan.records.base import SourceRef
    from spyscan.records.ios_messages import SMSMessage
    rec = SMSMessage(source=SourceRef(file="x"), direction="received", handle="+1555",
                     text="Apple believes you are being\ntargeted by state-sponsored attackers")
    assert len(detect("ios.sms", [rec], rules=[IOSThreatNotification])) == 1
    plain = SMSMessage(source=SourceRef(file="x"), direction="received", text="hello")
    assert detect("ios.sms", [plain], rules=[IOSThreatNotification]) == []


def test_attachments_and_tmp_rule(tmp_path: Path) -> None:
    records, _ = collect(SMSAttachments, _sms(tmp_path))
    by_id = {r.attachment_id: r for r in records}
    assert by_id[1].direction == "received" and by_id[1].mime_type == "image/gif"
    assert by_id[1].handle == "+15551234567" and by_id[1].message_id == 1
    assert by_id[1].created == datetime(2023, 3, 8, 20, 26, 40, tzinfo=UTC)
    assert by_id[3].direction == "sent"
    found = detect("ios.sms_attachments", records, rules=[IOSTmpAttachment])
    assert [d.record["attachment_id"] for d in found] == [1]
    assert found[0].severity is Severity.HIGH


def test_attachments_without_join_table(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, [
        "CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY, filename TEXT, is_outgoing INTEGER)",
        "INSERT INTO attachment VALUES (1, '/var/tmp/x-1', 0)",
    ])
    records, log = collect(SMSAttachments, ev)
    assert records[0].direction == "received" and records[0].created is None
    assert any("created_date" in w for w in log.warnings)
    assert len(detect("ios.sms_attachments", records, rules=[IOSTmpAttachment])) == 1


def test_attributed_body_parser_edges() -> None:
    assert attributed_body_text(typedstream("x" * 300)) == "x" * 300
    assert attributed_body_text(b"no string here") is None
    assert attributed_body_text(b"NSString\x01+\x50short") is None  # declared length beyond the data
    assert attributed_body_text(None) is None
    # 4-byte length, mutable string class, and a big-endian stream
    long = "y" * 70000
    mutable = typedstream("z").replace(b"\x08NSString", b"\x0fNSMutableString")
    assert attributed_body_text(mutable) == "z"
    four = (b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x08NSString\x01\x94\x84\x01+\x82"
            + len(long).to_bytes(4, "little") + long.encode())
    assert attributed_body_text(four) == long
    big = (b"\x04\x0btypedstream\x03\xe8\x84\x01@\x84\x84\x84\x08NSString\x01\x94\x84\x01+\x81"
           + (300).to_bytes(2, "big") + b"b" * 300)
    assert attributed_body_text(big) == "b" * 300


def _whatsapp(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE ZWACHATSESSION (Z_PK INTEGER PRIMARY KEY, ZCONTACTJID VARCHAR, ZPARTNERNAME VARCHAR)")
    conn.execute("CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, ZTEXT VARCHAR, ZMESSAGEDATE TIMESTAMP,"
                 " ZSENTDATE TIMESTAMP, ZISFROMME INTEGER, ZFROMJID VARCHAR, ZTOJID VARCHAR, ZCHATSESSION INTEGER,"
                 " ZMESSAGETYPE INTEGER, ZMEDIAITEM INTEGER)")
    conn.execute("CREATE TABLE ZWAMEDIAITEM (Z_PK INTEGER PRIMARY KEY, ZMESSAGE INTEGER, ZMEDIAURL VARCHAR,"
                 " ZMEDIALOCALPATH VARCHAR, ZTITLE VARCHAR)")
    conn.execute("INSERT INTO ZWACHATSESSION VALUES (1, '15550001@s.whatsapp.net', 'Ana')")
    conn.execute("INSERT INTO ZWAMESSAGE VALUES (1, 'look http://bad-domain.test/a', 650000000, 650000000, 0,"
                 " '15550001@s.whatsapp.net', NULL, 1, 0, NULL)")
    conn.execute("INSERT INTO ZWAMESSAGE VALUES (2, NULL, 650000100, 650000100, 1, NULL, '15550001@s.whatsapp.net',"
                 " 1, 1, 1)")
    conn.execute("INSERT INTO ZWAMEDIAITEM VALUES (1, 2, 'https://mmg.whatsapp.net/x.enc', 'Media/1.jpg', NULL)")
    conn.execute("CREATE TABLE ZWAMESSAGEDATAITEM (Z_PK INTEGER PRIMARY KEY, ZMESSAGE INTEGER, ZCONTENT1 VARCHAR,"
                 " ZCONTENT2 VARCHAR, ZMATCHEDTEXT VARCHAR, ZSUMMARY VARCHAR, ZTITLE VARCHAR)")
    conn.execute("INSERT INTO ZWAMESSAGE VALUES (3, 'see preview', 650000200, 650000200, 0,"
                 " '15550001@s.whatsapp.net', NULL, 1, 0, NULL)")
    conn.execute("INSERT INTO ZWAMESSAGEDATAITEM VALUES (1, 3, 'https://preview.bad-domain.test/a', NULL,"
                 " 'preview.bad-domain.test/a', 'A summary', 'A title')")


def test_whatsapp_messages_and_contacts(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite(GROUP, "ChatStorage.sqlite", _whatsapp)
    ev.add_sqlite(GROUP, "ContactsV2.sqlite", [
        "CREATE TABLE ZWAADDRESSBOOKCONTACT (Z_PK INTEGER PRIMARY KEY, ZFULLNAME VARCHAR, ZPHONENUMBER VARCHAR,"
        " ZWHATSAPPID VARCHAR, ZABOUTTEXT VARCHAR)",
        "INSERT INTO ZWAADDRESSBOOKCONTACT VALUES (1, 'Ana', '+1 555 0001', '15550001@s.whatsapp.net',"
        " 'my site https://bad-domain.test/')",
    ])
    messages, log = collect(WhatsAppMessages, ev)
    assert not log.warnings
    by_id = {m.message_id: m for m in messages}
    assert by_id[1].links == ["http://bad-domain.test/a"] and by_id[1].chat_name == "Ana"
    assert by_id[1].direction == "received" and by_id[1].date is not None and by_id[1].date.year == 2021
    assert by_id[2].media_url == "https://mmg.whatsapp.net/x.enc" and by_id[2].direction == "sent"
    assert by_id[2].links == []  # WhatsApp's own media host is not a link of the message
    assert by_id[3].links == ["https://preview.bad-domain.test/a"] and "A title" in by_id[3].link_preview
    assert {d.record["message_id"] for d in detect("ios.whatsapp_messages", messages, [BAD])} == {1, 3}
    contacts, _ = collect(WhatsAppContacts, ev)
    assert contacts[0].links == ["https://bad-domain.test/"] and contacts[0].phone == "+1 555 0001"
    assert len(detect("ios.whatsapp_contacts", contacts, [BAD])) == 1


def test_whatsapp_old_schema_without_media(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite(GROUP, "ChatStorage.sqlite", [
        "CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, ZTEXT VARCHAR)",
        "INSERT INTO ZWAMESSAGE VALUES (1, 'hi')",
    ])
    messages, log = collect(WhatsAppMessages, ev)
    assert messages[0].text == "hi" and messages[0].date is None and log.warnings


def test_whatsapp_lid_identifiers_are_kept_as_identifiers(tmp_path: Path) -> None:
    """2025-26 chats and contacts use ``<digits>@lid`` identifiers (mvt-project/mvt PR #882): read and matched
    like any message, kept verbatim, never taken for a phone number."""
    ev = FakeIOS(tmp_path)
    ev.add_sqlite(GROUP, "ChatStorage.sqlite", [
        "CREATE TABLE ZWACHATSESSION (Z_PK INTEGER PRIMARY KEY, ZCONTACTJID VARCHAR, ZPARTNERNAME VARCHAR)",
        "CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, ZTEXT VARCHAR, ZMESSAGEDATE TIMESTAMP,"
        " ZSENTDATE TIMESTAMP, ZISFROMME INTEGER, ZFROMJID VARCHAR, ZTOJID VARCHAR, ZCHATSESSION INTEGER,"
        " ZMESSAGETYPE INTEGER)",
        "INSERT INTO ZWACHATSESSION VALUES (1, '74333133234289@lid', 'Ana')",
        "INSERT INTO ZWAMESSAGE VALUES (1, 'open https://bad-domain.test/x', 650000000, 650000000, 0,"
        " '74333133234289@lid', NULL, 1, 0)",
    ])
    ev.add_sqlite(GROUP, "ContactsV2.sqlite", [
        "CREATE TABLE ZWAADDRESSBOOKCONTACT (Z_PK INTEGER PRIMARY KEY, ZFULLNAME VARCHAR, ZPHONENUMBER VARCHAR,"
        " ZWHATSAPPID VARCHAR, ZABOUTTEXT VARCHAR)",
        "INSERT INTO ZWAADDRESSBOOKCONTACT VALUES (1, 'Ana', NULL, '74333133234289@lid', NULL)",
    ])
    [message], _ = collect(WhatsAppMessages, ev)
    assert (message.from_jid, message.chat_jid) == ("74333133234289@lid", "74333133234289@lid")
    assert len(detect("ios.whatsapp_messages", [message], [BAD])) == 1
    [contact], _ = collect(WhatsAppContacts, ev)
    assert contact.jid == "74333133234289@lid" and contact.phone is None
