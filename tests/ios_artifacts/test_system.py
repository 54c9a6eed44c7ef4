from __future__ import annotations

import plistlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from spyscan.artifacts.ios.datausage import DataUsage
from spyscan.artifacts.ios.global_preferences import GlobalPreferences
from spyscan.artifacts.ios.idstatuscache import REL as IDS_REL
from spyscan.artifacts.ios.idstatuscache import IDStatusCache
from spyscan.artifacts.ios.locationd_clients import CLIENTS, LocationdClients
from spyscan.artifacts.ios.osanalytics_addaily import REL as ADDAILY_REL
from spyscan.artifacts.ios.osanalytics_addaily import OSAnalyticsADDaily
from spyscan.artifacts.ios.shortcuts import Shortcuts
from spyscan.artifacts.ios.tcc import TCC
from spyscan.detection.heuristics.ios_datausage_deleted_process import IOSDataUsageDeletedProcess
from spyscan.detection.heuristics.ios_idstatuscache_nul import IOSIDStatusCacheNul
from spyscan.detection.heuristics.ios_lockdown_mode_off import IOSLockdownModeOff
from spyscan.detection.model import Severity
from tests.ios_artifacts.fakes import FakeIOS, collect, detect, indicator

PROC = indicator("process:name", "bh")
BAD = indicator("domain-name:value", "bad-domain.test")
APP = indicator("app:id", "com.evil.app")


def test_datausage_rows_and_deleted_process_rule(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("WirelessDomain", "Library/Databases/DataUsage.sqlite", [
        "CREATE TABLE ZPROCESS (Z_PK INTEGER PRIMARY KEY, ZPROCNAME VARCHAR, ZBUNDLENAME VARCHAR,"
        " ZFIRSTTIMESTAMP TIMESTAMP, ZTIMESTAMP TIMESTAMP)",
        "CREATE TABLE ZLIVEUSAGE (Z_PK INTEGER PRIMARY KEY, ZHASPROCESS INTEGER, ZTIMESTAMP TIMESTAMP,"
        " ZWIFIIN FLOAT, ZWIFIOUT FLOAT, ZWWANIN FLOAT, ZWWANOUT FLOAT)",
        "INSERT INTO ZPROCESS VALUES (1, 'bh', NULL, 600000000, 600000100)",
        "INSERT INTO ZPROCESS VALUES (2, 'Safari', 'com.apple.mobilesafari', 600000000, 600000100)",
        "INSERT INTO ZPROCESS VALUES (5, 'idle', NULL, 600000000, 600000100)",
        "INSERT INTO ZLIVEUSAGE VALUES (1, 1, 600000200, 10, 20, 30, 40)",
        "INSERT INTO ZLIVEUSAGE VALUES (2, 2, 600000200, 1, 2, 3, 4)",
        "INSERT INTO ZLIVEUSAGE VALUES (3, 9, 600000300, 5, 5, 5, 5)",
    ])
    records, log = collect(DataUsage, ev)
    assert not log.warnings
    assert len(records) == 4  # three usage rows + the process without usage
    bh = next(r for r in records if r.process == "bh")
    assert bh.wifi_in == 10.0 and bh.wwan_out == 40.0 and bh.first_seen == datetime(2020, 1, 6, 10, 40, tzinfo=UTC)
    orphan = next(r for r in records if r.live_usage_pk == 3)
    assert orphan.process_pk is None and orphan.has_process == 9
    assert [d.record["live_usage_pk"] for d in detect("ios.datausage", records, [PROC])] == [1]
    [found] = detect("ios.datausage", records, rules=[IOSDataUsageDeletedProcess])
    assert "refer to 1 process row(s) no longer in ZPROCESS (9)" in found.message
    assert "2 ZPROCESS primary key(s) missing in 1 gap(s) (3-4)" in found.message
    assert found.severity is Severity.LOW and found.category == "context"


def test_datausage_process_names_of_recent_ios(tmp_path: Path) -> None:
    """Real shapes (log2timeline/plaso DataUsage.sqlite): ``<UUID>/<bundle id>`` holds no process name,
    ``<process>/<bundle id>`` holds one; both parts are matched where they belong."""
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("WirelessDomain", "Library/Databases/DataUsage.sqlite", [
        "CREATE TABLE ZPROCESS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZFIRSTTIMESTAMP TIMESTAMP,"
        " ZTIMESTAMP TIMESTAMP, ZBUNDLENAME VARCHAR, ZPROCNAME VARCHAR)",
        # recent iOS: no ZWIFIIN / ZWIFIOUT (mvt-project/mvt#531)
        "CREATE TABLE ZLIVEUSAGE (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZKIND INTEGER,"
        " ZHASPROCESS INTEGER, ZTIMESTAMP TIMESTAMP, ZWWANIN FLOAT, ZWWANOUT FLOAT)",
        "INSERT INTO ZPROCESS VALUES (1, 9, 1, 632604217.4, 635475634.9, 'com.apple.Translate',"
        " '1FB47783-A2FE-47D9-B256-DF50EF44BBA4/com.apple.Translate')",
        "INSERT INTO ZPROCESS VALUES (2, 9, 1, 632604217.4, 635475634.9, 'com.apple.datausage.general',"
        " 'bh/com.apple.datausage.general')",
        "INSERT INTO ZLIVEUSAGE VALUES (1, 8, 1, 0, 2, 635475634.9, 100, 200)",
    ])
    records, log = collect(DataUsage, ev)
    assert any("ZWIFIIN" in w for w in log.warnings)  # missing columns are said, never an error
    app = next(r for r in records if r.process_pk == 1)
    assert app.process is None and app.bundle_id == "com.apple.Translate" and app.wwan_in is None
    assert app.procname == "1FB47783-A2FE-47D9-B256-DF50EF44BBA4/com.apple.Translate"
    daemon = next(r for r in records if r.process_pk == 2)
    assert (daemon.process, daemon.bundle_id, daemon.wwan_out) == ("bh", "com.apple.datausage.general", 200.0)
    [hit] = detect("ios.datausage", records, [PROC])
    assert hit.observable is not None and hit.observable.value == "bh"


def test_osanalytics_addaily(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_plist("HomeDomain", ADDAILY_REL, {"netUsageBaseline": {
        "bh": [datetime(2021, 7, 1, 10, 0), 1.0, 2.0, 3.0, 4.0],
        "com.evil.app": [650000000.0, 5, 6],
        "broken": "x",
    }})
    records, log = collect(OSAnalyticsADDaily, ev)
    assert len(records) == 2 and any("broken" in w for w in log.warnings)
    bh = records[0]
    assert bh.process == "bh" and bh.timestamp == datetime(2021, 7, 1, 10, 0, tzinfo=UTC) and bh.wwan_out == 4.0
    assert records[1].app_id == "com.evil.app" and records[1].wwan_in is None
    assert len(detect("ios.osanalytics_addaily", records, [PROC, APP])) == 2


def test_tcc_modern_and_old_schemas(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", "Library/TCC/TCC.db", [
        "CREATE TABLE access (service TEXT, client TEXT, client_type INTEGER, auth_value INTEGER,"
        " auth_reason INTEGER, last_modified INTEGER)",
        "INSERT INTO access VALUES ('kTCCServiceMicrophone', 'com.evil.app', 0, 2, 4, 1650000000)",
        "INSERT INTO access VALUES ('kTCCServiceCamera', '/usr/libexec/bh', 1, 0, 2, 1650000000)",
    ])
    records, _ = collect(TCC, ev)
    assert records[0].app_id == "com.evil.app" and records[0].allowed is True
    assert records[0].last_modified == datetime(2022, 4, 15, 5, 20, tzinfo=UTC)
    assert records[1].process == "/usr/libexec/bh" and records[1].allowed is False and records[1].app_id is None
    assert len(detect("ios.tcc", records, [APP, PROC])) == 2
    named = FakeIOS(tmp_path / "named")
    named.add_sqlite("HomeDomain", "Library/TCC/TCC.db", [
        "CREATE TABLE access (service TEXT, client TEXT, client_type INTEGER, auth_value INTEGER,"
        " auth_reason INTEGER, last_modified INTEGER)",
        "INSERT INTO access VALUES ('kTCCServiceMicrophone', 'bh', 0, 2, 4, 1650000000)",
        "INSERT INTO access VALUES ('kTCCServiceCamera', 'com.apple.camera', 0, 2, 4, 1650000000)",
    ])
    records, _ = collect(TCC, named)
    assert (records[0].app_id, records[0].process) == ("bh", "bh")  # an identifier that is also a process name
    assert (records[1].app_id, records[1].process) == ("com.apple.camera", None)
    [hit] = detect("ios.tcc", records, [PROC])
    assert hit.observable is not None and hit.observable.value == "bh"
    old = FakeIOS(tmp_path / "old")
    old.add_sqlite("HomeDomain", "Library/TCC/TCC.db", [
        "CREATE TABLE access (service TEXT, client TEXT, client_type INTEGER, allowed INTEGER, prompt_count INTEGER)",
        "INSERT INTO access VALUES ('kTCCServicePhotos', 'com.x', 0, 1, 1)",
    ])
    records, log = collect(TCC, old)
    assert records[0].allowed is True and records[0].last_modified is None
    assert any("last_modified" in w for w in log.warnings)


def _shortcuts(conn: sqlite3.Connection) -> None:
    actions = plistlib.dumps([
        {"WFWorkflowActionIdentifier": "is.workflow.actions.openurl",
         "WFWorkflowActionParameters": {"WFInput": {"Value": {"string": "https://c2.bad-domain.test/x?y=1"}}}},
        {"WFWorkflowActionIdentifier": "is.workflow.actions.gettext",
         "WFWorkflowActionParameters": {"WFTextActionText": "hello"}},
    ], fmt=plistlib.FMT_BINARY)
    conn.execute("CREATE TABLE ZSHORTCUT (Z_PK INTEGER PRIMARY KEY, ZNAME VARCHAR, ZACTIONCOUNT INTEGER,"
                 " ZCREATIONDATE TIMESTAMP, ZMODIFICATIONDATE TIMESTAMP, ZACTIONSDESCRIPTION VARCHAR)")
    conn.execute("CREATE TABLE ZSHORTCUTACTIONS (Z_PK INTEGER PRIMARY KEY, ZSHORTCUT INTEGER, ZDATA BLOB)")
    conn.execute("INSERT INTO ZSHORTCUT VALUES (1, 'Open', 2, 640000000, 640000100, NULL)")
    conn.execute("INSERT INTO ZSHORTCUT VALUES (2, 'Broken', 1, 640000000, NULL, NULL)")
    conn.execute("INSERT INTO ZSHORTCUTACTIONS VALUES (1, 1, ?)", (actions,))
    conn.execute("INSERT INTO ZSHORTCUTACTIONS VALUES (2, 2, ?)", (b"not a plist",))


def test_shortcuts(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", "Library/Shortcuts/Shortcuts.sqlite", _shortcuts)
    records, log = collect(Shortcuts, ev)
    first, broken = records
    assert first.action_ids == ["is.workflow.actions.openurl", "is.workflow.actions.gettext"]
    assert first.urls == ["https://c2.bad-domain.test/x?y=1"] and first.created is not None
    assert broken.urls == [] and any("not readable" in w for w in log.warnings)
    assert {d.record["shortcut_id"] for d in detect("ios.shortcuts", records, [BAD])} == {1}


def test_idstatuscache_and_nul_rule(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_plist("HomeDomain", IDS_REL, {"com.apple.madrid": {
        "mailto:attacker@bad-domain.test": {"LookupDate": 600000000.0, "IDStatus": 1},
        "tel:+15550001": {"LookupDate": 600000001.0},
        "mailto:x\x00\x00y@example.org": {"LookupDate": 600000002.0},
    }})
    records, _ = collect(IDStatusCache, ev)
    by_account = {r.account: r for r in records}
    first = by_account["mailto:attacker@bad-domain.test"]
    assert first.email == "attacker@bad-domain.test" and first.service == "com.apple.madrid"
    assert first.lookup_date == datetime(2020, 1, 6, 10, 40, tzinfo=UTC) and first.lookup_status == 1
    assert by_account["tel:+15550001"].phone == "+15550001"
    weird = by_account["mailto:x\\x00\\x00y@example.org"]
    assert weird.nul_bytes == 2 and weird.email == "xy@example.org"
    found = detect("ios.idstatuscache", records, [indicator("email-addr:value", "attacker@bad-domain.test")],
                   rules=[IOSIDStatusCacheNul])
    kinds = sorted((d.kind, d.record["account"]) for d in found)
    assert kinds == [("heuristic", "mailto:x\\x00\\x00y@example.org"), ("indicator", "mailto:attacker@bad-domain.test")]


def test_locationd_clients(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_plist("RootDomain", CLIENTS, {
        "com.evil.app:": {"BundleId": "com.evil.app", "Authorization": 4, "LocationTimeStopped": 650000000.0,
                          "SignificantTimeStopped": 640000000.0, "ConsumptionPeriodBegin": 630000000.0,
                          "Registered": True},
        "MigrationCount": 3,
        "com.apple.locationd.bundle-/System/Library/x.bundle": {"BundlePath": "/System/Library/x.bundle",
                                                                 "Executable": "/usr/libexec/bh"},
        "bad": 3,
    })
    records, _ = collect(LocationdClients, ev)
    assert len(records) == 2
    app = next(r for r in records if r.client == "com.evil.app")
    other = next(r for r in records if r.client != "com.evil.app")
    assert app.app_ids == ["com.evil.app"] and app.authorization == 4
    assert app.last_time is not None and app.last_time.year == 2021 and set(app.times) == {
        "LocationTimeStopped", "SignificantTimeStopped", "ConsumptionPeriodBegin"}
    assert app.registered is None and app.first_time is not None and app.first_time.year == 2020
    assert other.app_ids == [] and other.executable == "/usr/libexec/bh"
    assert len(detect("ios.locationd_clients", records, [APP, PROC])) == 2


def test_global_preferences_and_lockdown_rule(tmp_path: Path) -> None:
    on = FakeIOS(tmp_path / "on")
    on.add_plist("HomeDomain", "Library/Preferences/.GlobalPreferences.plist", {"LDMGlobalEnabled": True,
                                                                               "AppleLocale": "es_MX"})
    records, _ = collect(GlobalPreferences, on)
    assert records[0].lockdown_mode_enabled and records[0].locale == "es_MX"
    assert detect("ios.global_preferences", records, rules=[IOSLockdownModeOff]) == []
    off = FakeIOS(tmp_path / "off")
    off.add_plist("HomeDomain", "Library/Preferences/.GlobalPreferences.plist", {"AppleLanguages": ["es"]})
    records, _ = collect(GlobalPreferences, off)
    found = detect("ios.global_preferences", records, rules=[IOSLockdownModeOff])
    assert len(found) == 1 and found[0].severity is Severity.INFO and "never enabled" in found[0].message
