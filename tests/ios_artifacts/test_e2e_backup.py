"""End to end: ``spyscan.engine.check`` on generated iOS backups with planted public Pegasus indicators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spyscan import engine
from spyscan.evidence.secrets import Secrets
from tests.builders.ios_backup import BackupBuilder
from tests.ios_artifacts.test_messages import sms_db

PEGASUS = Path("AmnestyTech__investigations") / "2021-07-18_nso" / "pegasus.stix2"
DOMAIN = "weather4free.com"  # public Pegasus indicators (Amnesty, 2021)
PROCESS = "fservernetd"
EMAIL = "bogaardlisa803@gmail.com"


def _build(root: Path, planted: bool) -> BackupBuilder:
    host = DOMAIN if planted else "example.org"
    b = BackupBuilder(root, product_version="27.2")
    b.add_sqlite("HomeDomain", "Library/Safari/History.db", [
        "CREATE TABLE history_items (id INTEGER PRIMARY KEY, url TEXT, visit_count INTEGER)",
        "CREATE TABLE history_visits (id INTEGER PRIMARY KEY, history_item INTEGER, visit_time REAL, title TEXT,"
        " load_successful BOOLEAN, redirect_source INTEGER, redirect_destination INTEGER)",
        f"INSERT INTO history_items VALUES (1, 'https://free.{host}/x', 1)",
        "INSERT INTO history_visits VALUES (1, 1, 650000000.0, 't', 1, NULL, NULL)",
    ])
    b.add_sqlite("WirelessDomain", "Library/Databases/DataUsage.sqlite", [
        "CREATE TABLE ZPROCESS (Z_PK INTEGER PRIMARY KEY, ZPROCNAME VARCHAR, ZBUNDLENAME VARCHAR,"
        " ZFIRSTTIMESTAMP TIMESTAMP, ZTIMESTAMP TIMESTAMP)",
        "CREATE TABLE ZLIVEUSAGE (Z_PK INTEGER PRIMARY KEY, ZHASPROCESS INTEGER, ZTIMESTAMP TIMESTAMP,"
        " ZWIFIIN FLOAT, ZWIFIOUT FLOAT, ZWWANIN FLOAT, ZWWANOUT FLOAT)",
        f"INSERT INTO ZPROCESS VALUES (1, '{PROCESS if planted else 'Safari'}', NULL, 650000000, 650000000)",
        "INSERT INTO ZLIVEUSAGE VALUES (1, 1, 650000000, 1, 1, 1, 1)",
    ])
    b.add_plist("HomeDomain", "Library/Preferences/com.apple.identityservices.idstatuscache.plist", {
        "com.apple.madrid": {f"mailto:{EMAIL if planted else 'friend@example.org'}": {"LookupDate": 650000000.0}}})
    b.add_plist("HomeDomain", "Library/Preferences/.GlobalPreferences.plist", {"LDMGlobalEnabled": True})
    return b


def _check(backup: Path, out: Path, iocs: Path, secrets: Secrets | None = None) -> engine.RunResult:
    options = engine.RunOptions(output=out, indicators=engine.IndicatorOptions(paths=[iocs], bundled=False),
                                jobs=1, secrets=secrets or Secrets(interactive=False), progress=None)
    return engine.check(backup, None, options)


def _pegasus(public_iocs: Path) -> Path:
    path = public_iocs / PEGASUS
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return path


def test_planted_indicators_found_in_every_artifact(tmp_path: Path, public_iocs: Path) -> None:
    backup = _build(tmp_path / "backup", planted=True)
    backup.add_sqlite("HomeDomain", "Library/SMS/sms.db", sms_db)
    result = _check(backup.build(), tmp_path / "out", _pegasus(public_iocs))
    by_artifact = {(d.artifact, d.kind, d.indicator.value if d.indicator else d.rule) for d in result.detections}
    assert ("ios.safari_history", "indicator", DOMAIN) in by_artifact
    assert ("ios.datausage", "indicator", PROCESS) in by_artifact
    assert ("ios.idstatuscache", "indicator", EMAIL) in by_artifact
    assert ("ios.sms", "heuristic", "ios.threat_notification") in by_artifact
    assert ("ios.sms_attachments", "heuristic", "ios.tmp_attachment") in by_artifact
    assert result.exit_code == 3
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    statuses = {k: v["status"] for k, v in run["artifacts"].items()}
    assert statuses["ios.safari_history"] == "ok" and statuses["ios.whatsapp_messages"] == "not_found"
    assert statuses["ios.sms"] in ("ok", "warning")
    records = (tmp_path / "out" / "records" / "ios.safari_history.jsonl").read_text().splitlines()
    assert json.loads(records[0])["source"]["file"] == "HomeDomain/Library/Safari/History.db"


def test_clean_encrypted_backup_gives_no_detection(tmp_path: Path, public_iocs: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = _build(tmp_path / "backup", planted=False).build(password="pw-e2e")
    monkeypatch.setenv("E2E_PW", "pw-e2e")
    result = _check(path, tmp_path / "out", _pegasus(public_iocs), Secrets(password_env="E2E_PW"))
    ours = [d for d in result.detections if d.artifact in (
        "ios.safari_history", "ios.datausage", "ios.idstatuscache", "ios.global_preferences")]
    assert ours == []
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["artifacts"]["ios.datausage"]["records"] == 1


def test_damaged_plist_is_a_warning_not_a_failure(tmp_path: Path, public_iocs: Path) -> None:
    b = _build(tmp_path / "backup", planted=False)
    b.add_file("HomeDomain", "Library/Preferences/com.apple.osanalytics.addaily.plist", b"bplist00\x00garbage")
    result = _check(b.build(), tmp_path / "out", _pegasus(public_iocs))
    assert result.run.artifacts["ios.osanalytics_addaily"].status == "warning"


def test_filesystem_dump_folder(tmp_path: Path, public_iocs: Path) -> None:
    from tests.builders.sqlite import write_sqlite
    from tests.ios_artifacts.test_other_browsers import CHROME_TIME

    root = tmp_path / "dump"
    sms = root / "private/var/mobile/Library/SMS/sms.db"
    sms.parent.mkdir(parents=True)
    write_sqlite(sms, sms_db)
    app = root / "private/var/mobile/Containers/Data/Application/AB-12"
    chrome = app / "Library/Application Support/Google/Chrome/Default"
    chrome.mkdir(parents=True)
    write_sqlite(chrome / "History", [
        "CREATE TABLE urls (id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR)",
        "CREATE TABLE visits (id INTEGER PRIMARY KEY, url INTEGER, visit_time INTEGER, from_visit INTEGER,"
        " transition INTEGER)",
        f"INSERT INTO urls VALUES (1, 'https://x.{DOMAIN}/a', 'A')",
        f"INSERT INTO visits VALUES (1, 1, {CHROME_TIME}, 0, 0)",
    ])
    result = _check(root, tmp_path / "out", _pegasus(public_iocs))
    assert result.run.kind == "ios-fs"
    hits = {(d.artifact, d.indicator.value if d.indicator else d.rule) for d in result.detections}
    assert ("ios.chrome_history", DOMAIN) in hits and ("ios.sms", "ios.threat_notification") in hits
    chrome_records = (tmp_path / "out" / "records" / "ios.chrome_history.jsonl").read_text().splitlines()
    assert "Containers/Data/Application/AB-12" in json.loads(chrome_records[0])["source"]["file"]
