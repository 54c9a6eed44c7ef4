"""report-redacted.html keeps of each link only its host (matched or not) and port: a token naming the victim
in the user info, path, query or fragment of a link is gone from every place a link can appear (issue 17)."""

from __future__ import annotations

import html as htmllib
from pathlib import Path

import pytest

from spyscan.detection.model import Detection, IndicatorRef, ObservableRef, Severity
from spyscan.report import html
from spyscan.report.redact import Redactor
from spyscan.report.runfile import read_run, write_json
from tests.report import folders as f

MATCHED = "https://evil.example/inbox/VICTIMPATH1/open?target=VICTIMQUERY1#VICTIMFRAG1"
LINKS = [
    MATCHED,
    "www.other.example/VICTIMPATH2?u=VICTIMQUERY2",  # no scheme
    "HTTPS:/Other.Example/VICTIMPATH3?q=VICTIMQUERY3",  # relaxed scheme, upper case
    "https://VICTIMUSER:pw@evil.example/",  # user info only
    "https:\\\\other.example\\VICTIMPATH11?VICTIMQUERY11",  # backslashes
]


def _detections() -> list[Detection]:
    sms = {
        "record_type": "ios.sms",
        "source": {"file": "HomeDomain/Library/SMS/sms.db", "table": "message", "rowid": 7,
                   "key": "https://cache.example/VICTIMPATH4?t=VICTIMQUERY4"},
        "text": f"Tu paquete: {MATCHED} y {LINKS[1]}",
        "links": LINKS,
        "media_url": "http://3232235777/VICTIMPATH6?x=VICTIMQUERY6",
        "date": "2024-05-20T08:00:00Z",
    }
    indicator = Detection(
        id="d" * 20, severity=Severity.CRITICAL, kind="indicator", artifact="ios.sms",
        message=f"links {MATCHED!r} matches Pegasus indicator domain-name:value = 'evil.example' [url-host]",
        timestamp="2024-05-20T08:00:00Z", observable=ObservableRef(type="url", value=MATCHED),
        indicator=IndicatorRef(value="evil.example", type="domain-name:value", malware="Pegasus",
                               stix_id="indicator--12121212-2222-3333-4444-555555555555", file=f.PEGASUS_FILE),
        record=sms, match="url-host",
    )
    visit = {
        "record_type": "ios.safari_visit",
        "source": {"file": "History.db", "table": "history_visits", "rowid": 3},
        "url": "https://other.example/VICTIMPATH12?id=VICTIMQUERY12",
        "path": "https://other.example/VICTIMPATH7?VICTIMQUERY7",  # a technical field: scrubbed text
        "visit_time": "2024-05-20T08:01:00Z",
    }
    heuristic = Detection(
        id="e" * 20, severity=Severity.HIGH, kind="heuristic", artifact="ios.safari_history",
        message="redirect chain ends at https:\\\\other.example\\VICTIMPATH5?x=VICTIMQUERY5, "
                "then www.other.example/VICTIMPATH13.",
        timestamp="2024-05-20T08:01:00Z", observable=ObservableRef(type="url", value=visit["url"]),
        indicator=None, record=visit, rule="ios.redirect_chain", why="Links of exploit servers redirect.",
    )
    text = Detection(
        id="f" * 20, severity=Severity.HIGH, kind="indicator", artifact="ios.sms",
        message="text matches Pegasus indicator domain-name:value = 'evil.example' [url-host]",
        timestamp="2024-05-20T08:00:00Z", observable=ObservableRef(type="text", value=sms["text"]),
        indicator=IndicatorRef(value="evil.example", type="domain-name:value", malware="Pegasus",
                               stix_id="indicator--12121212-2222-3333-4444-555555555555", file=f.PEGASUS_FILE),
        record={**sms, "source": {"file": "sms.db", "table": "message", "rowid": 8}}, match="url-host",
    )
    return [indicator, heuristic, text]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / f.CASE
    f.write_folder(out, detections=_detections())
    run = read_run(out / "run.json")
    run.artifacts["ios.location"].warnings = ["could not follow https://other.example/VICTIMPATH8?tok=VICTIMQUERY8"]
    run.artifacts["ios.whatsapp"].error = "DatabaseError near https://other.example/VICTIMPATH9?VICTIMQUERY9"
    run.errors = ["stopped at https://other.example/VICTIMPATH10#VICTIMFRAG10"]
    write_json(out / "run.json", run)
    return out


def _read(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    return raw + "\n" + htmllib.unescape(raw)


def test_every_link_keeps_its_host_and_loses_the_rest(folder: Path) -> None:
    html.write_reports(folder, lang="en", redact=True)
    normal, redacted = _read(folder / "report.html"), _read(folder / "report-redacted.html")
    for n in range(1, 14):
        secret = f"VICTIMPATH{n}"
        if n in (6,):
            secret = "VICTIMQUERY6"
        assert secret in normal, secret  # each place is really in the report...
    assert "VICTIM" not in redacted  # ...and nothing of the rest of any link survives redaction
    r = Redactor(b"x")
    assert r.url(MATCHED).startswith("https://evil.example/[path #")
    for kept in ("https://evil.example/[path #", "http://www.other.example/[path #", "https://other.example/[path #",
                 "http://192.168.1.1/[path #", "https://cache.example/[path #"):
        assert kept in redacted, kept
    assert 'id="redacted-links"' in redacted and 'id="redacted-links"' not in normal


def test_the_same_link_gives_the_same_token_and_a_bare_host_stays_whole() -> None:
    r = Redactor(b"salt")
    assert r.url(MATCHED) == r.url(MATCHED.replace("https://evil.example", "HTTPS://EVIL.EXAMPLE."))
    assert r.url("https://evil.example") == r.url("https://evil.example/") == "https://evil.example/"
    assert r.url("https://evil.example:8443/") == "https://evil.example:8443/"
    assert r.url("not a link").startswith("[url #")
    text = r.scrub(f"see {MATCHED}. Or (https:/other.example/VICTIMPATH?q=VICTIMQUERY), www.x.example/VICTIM!")
    assert "VICTIM" not in text
    assert text.startswith("see https://evil.example/[path #") and "]. Or (https://other.example/[path #" in text
    assert text.endswith("http://www.x.example/" + r.token("/VICTIM", "path") + "!")


@pytest.mark.parametrize("lang", ["es", "fr", "pt"])
def test_the_methodology_says_so_in_each_language(folder: Path, lang: str) -> None:
    html.write_reports(folder, lang=lang, redact=True)
    redacted = _read(folder / "report-redacted.html")
    expected = {"es": "cada enlace conserva solo su esquema", "fr": "chaque lien ne garde que son schéma",
                "pt": "cada link mantém apenas seu esquema"}[lang]
    assert expected in redacted
    assert "VICTIM" not in redacted


def test_a_link_or_message_holding_an_indicator_loses_its_personal_part() -> None:
    """An indicator's host inside a link or a message (the very links that matter) never shields the rest:
    before, the kept host hid the link from redaction and a message holding it from its token, so the
    details line of a matched message showed the person's text and the link's token in clear."""
    r = Redactor(b"salt")
    r.keep(["evil.example", "https://files.example/dl/x.apk?id=7"])
    message = "Hola VICTIMNAME, tu codigo https://evil.example/track/VICTIMPATH?id=VICTIMQUERY#VICTIMFRAG"
    r.learn([message])
    detail = r.scrub(f"text '{message}' matches Pegasus indicator domain-name:value = 'evil.example' [url-host]")
    assert "VICTIM" not in detail and "'evil.example'" in detail
    for free in ("see https://evil.example/x?id=VICTIMTOKEN now", "see https://cdn.evil.example/VICTIMPATH now",
                 "see https://files.example/dl/x.apk?id=7&u=VICTIMQUERY."):
        scrubbed = r.scrub(free)
        assert "VICTIM" not in scrubbed, scrubbed
    assert r.scrub("see https://evil.example/x?id=T.").startswith("see https://evil.example/[path #")
    assert r.scrub("get https://files.example/dl/x.apk?id=7.") == "get https://files.example/dl/x.apk?id=7."
    # a learned link seen again in text is redacted once, not tokenized a second time
    r.learn(["https://other.example/VICTIMPATH"])
    once = r.scrub("see https://other.example/VICTIMPATH now")
    assert once == f"see https://other.example/{r.token('/VICTIMPATH', 'path')} now"
