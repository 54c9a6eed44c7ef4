"""report-redacted.html: no personal value survives; indicators and the matched domain stay."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

from spyscan.report import html
from spyscan.report.redact import Redactor
from tests.report import folders as f

PERSONAL = [
    f.PHONE, f.PHONE_COMPACT, "5512345678", "1234 5678", f.EMAIL, f.CONTACT, "María López", f.SMS_TEXT,
    "nos vemos", f.DEVICE_NAME, "Marisol", f.SERIAL, f.IMEI, str(f.LAT), str(f.LON), "17.065", "96.723",
    "Calle Reforma", "victim77", "8f3kq2", "/home/analyst",
]


def _both(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    return raw + "\n" + htmllib.unescape(raw)


def test_no_personal_value_survives_redaction(built: f.Built) -> None:
    written = html.write_reports(built.out, lang="en", redact=True)
    assert built.out / "report-redacted.html" in written
    normal = _both(built.out / "report.html")
    redacted = _both(built.out / "report-redacted.html")
    for value in PERSONAL:
        assert value in normal or value.replace(" ", "") in normal or value in ("5512345678",), value
        assert value not in redacted, value
    # indicators, the matched domain and technical values stay
    for value in (f.EVIL_DOMAIN, "https://free247downloads.com/", "com.hostile.app", "Pegasus", "TheTruthSpy",
                  "indicator--11111111-2222-3333-4444-555555555555", "HomeDomain/Library/SMS/sms.db", "iPhone14,2",
                  "17.4.1", "2024-05-20 08:00:00 UTC"):
        assert value in redacted, value
    assert 'id="redacted-banner"' in redacted


def test_tokens_are_stable_within_a_report_and_salted(built: f.Built) -> None:
    html.write_reports(built.out, lang="en", redact=True, salt=b"helpline-salt")
    first = (built.out / "report-redacted.html").read_text(encoding="utf-8")
    html.write_reports(built.out, lang="en", redact=True, salt=b"helpline-salt")
    assert (built.out / "report-redacted.html").read_text(encoding="utf-8").count("[tel #") == first.count("[tel #")
    token = Redactor(b"helpline-salt").token(f.PHONE, "tel")
    assert token in first
    assert Redactor(b"helpline-salt").token(f.PHONE_COMPACT, "tel") == token  # same number, other spelling
    assert first.count(token) >= 2  # the record field and the heuristic message agree
    html.write_reports(built.out, lang="en", redact=True)  # random salt: other tokens
    assert token not in (built.out / "report-redacted.html").read_text(encoding="utf-8")
    for path in built.out.rglob("*"):
        if path.is_file():
            assert b"helpline-salt" not in path.read_bytes(), path


def test_scrub_free_text() -> None:
    r = Redactor(b"s")
    text = r.scrub(f"call {f.PHONE} or mail {f.EMAIL} at 19.4326077, -99.1332080 on 2024-05-20T08:00:00Z "
                   f"see {f.EVIL_URL} version 14.2")
    assert f.PHONE not in text and f.EMAIL not in text and "19.4326077" not in text and "victim77" not in text
    assert "2024-05-20T08:00:00Z" in text and "version 14.2" in text
    assert "https://free247downloads.com/[path #" in text
    assert re.search(r"\[tel #[0-9a-f]{10}\]", text) and re.search(r"\[email #[0-9a-f]{10}\]", text)


def test_whatsapp_identifiers_are_not_phone_numbers() -> None:
    """WhatsApp ``@lid`` identifiers (2025-26) are opaque account ids, not phone numbers."""
    r = Redactor(b"s")
    text = r.scrub("from 74333133234289@lid and 15550001@s.whatsapp.net in group 120363012345678901@g.us")
    assert "74333133234289" not in text and "15550001" not in text and "[tel #" not in text
    assert text.count("[jid #") == 3
    assert r.field_value("from_jid", "74333133234289@lid").startswith("[jid #")
    assert r.field_value("jid", "15550001@s.whatsapp.net").startswith("[jid #")


def test_record_fields_keep_technical_values_only() -> None:
    r = Redactor(b"s")
    keep = frozenset({"com.evil.app"})
    assert r.field_value("package_name", "com.evil.app", keep) == "com.evil.app"
    assert r.field_value("sha256", "a" * 64) == "a" * 64
    assert r.field_value("visit_time", "2024-05-20T08:00:00Z") == "2024-05-20T08:00:00Z"
    assert r.field_value("latitude", 19.4326).startswith("[loc #")
    assert r.field_value("display_name", "Ana").startswith("[name #")
    assert r.field_value("body", "hola").startswith("[text #")
    # a link keeps its host, matched or not; the rest is one token
    assert r.field_value("url", "https://news.example/private?id=1") == "https://news.example/" + r.token(
        "/private?id=1", "path")
    assert r.field_value("url", "https://a.evil.com/x", frozenset({"evil.com"})) == "https://a.evil.com/[path #" \
        + r.token("/x", "path")[7:]
    assert r.field_value("participants", [f.PHONE, f.EMAIL]) == [r.token(f.PHONE, "tel"), r.token(f.EMAIL, "email")]


@pytest.mark.parametrize("device_key", ["DeviceName", "SerialNumber", "IMEI", "PhoneNumber", "UniqueDeviceID"])
def test_device_identifiers_are_hidden(device_key: str) -> None:
    assert Redactor(b"s").device({device_key: "secret-value"})[device_key].startswith("[device #")
    assert Redactor(b"s").device({"ProductVersion": "17.4"}) == {"ProductVersion": "17.4"}
