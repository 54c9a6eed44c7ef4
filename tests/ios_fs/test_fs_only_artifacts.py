"""URL caches, keychain analytics, favicons, version history and WebKit origins (planted and clean)."""

from __future__ import annotations

import json
from pathlib import Path

from builders.ios_fs import FsDumpBuilder, index, open_evidence, run
from spyscan.artifacts.ios.fs_keychain_analytics import KeychainAnalytics
from spyscan.artifacts.ios.fs_safari_favicons import SafariFavicons
from spyscan.artifacts.ios.fs_url_cache import UrlCaches
from spyscan.artifacts.ios.fs_version_history import OSVersionHistory
from spyscan.artifacts.ios.fs_webkit_origins import WebkitOrigins, parse_origin
from spyscan.kinds.ios_fs import IOSFilesystemEvidence

APP = "private/var/mobile/Containers/Data/Application/1111-AAAA"
EVIL = "evil.example"
MATCHER = (("domain-name:value", EVIL), ("process:name", "evilagentd"))


def _dump(host: str, proc: str) -> FsDumpBuilder:
    b = FsDumpBuilder()
    b.add_sqlite(f"{APP}/Library/Caches/com.example.app/Cache.db", [
        "CREATE TABLE cfurl_cache_response(entry_ID INTEGER PRIMARY KEY, version INTEGER, hash_value INTEGER, "
        "storage_policy INTEGER, request_key TEXT UNIQUE, time_stamp TIMESTAMP, partition TEXT)",
        f"INSERT INTO cfurl_cache_response VALUES (1, 0, 0, 0, 'https://{host}/x?a=1', '2023-11-14 22:13:20', NULL)",
    ])
    b.add_sqlite("private/var/Keychains/Analytics/networking_analytics.db", [
        "CREATE TABLE hosts(host TEXT, process TEXT, count INTEGER)",
        f"INSERT INTO hosts VALUES ('{host}', '{proc}', 3)",
    ])
    b.add_sqlite("private/var/mobile/Library/Image Cache/Favicons/Favicons.db", [
        "CREATE TABLE page_url(uuid TEXT, url TEXT)", "CREATE TABLE icon_info(uuid TEXT, url TEXT, timestamp REAL)",
        f"INSERT INTO page_url VALUES ('u1', 'https://{host}/landing')",
        f"INSERT INTO icon_info VALUES ('u1', 'https://{host}/favicon.ico', 721692800)",
    ])
    journal = "\n".join(json.dumps(x) for x in [
        {"timestamp": "2023-01-01 10:00:00.00 +0000", "os_version": "iPhone OS 16.2 (20C65)"},
        {"timestamp": "2023-02-01 10:00:00.00 +0000", "os_version": "iPhone OS 16.2 (20C65)"},
        {"timestamp": "2023-11-01 10:00:00.00 +0000", "os_version": "iPhone OS 17.1 (21B80)"},
    ])
    b.add_text("private/var/db/analyticsd/Analytics-Journal-2023.ips", journal + "\n")
    b.add_text(f"{APP}/Library/WebKit/WebsiteData/LocalStorage/https_{host}_0.localstorage", "x")
    b.add_dir(f"{APP}/SystemData/com.apple.SafariViewService/Library/WebKit/WebsiteData/IndexedDB/https_{host}_8443")
    return b


def _open(tmp_path: Path, b: FsDumpBuilder) -> IOSFilesystemEvidence:
    ev = open_evidence(IOSFilesystemEvidence, b.build_tar(tmp_path / "d.tar.gz"), tmp_path)
    assert isinstance(ev, IOSFilesystemEvidence)
    return ev


def test_planted(tmp_path: Path) -> None:
    ev = _open(tmp_path, _dump(EVIL, "evilagentd"))
    matcher = index(*MATCHER)
    caches, hits, _ = run(UrlCaches, ev, matcher)
    assert caches[0].url == f"https://{EVIL}/x?a=1" and caches[0].time is not None and hits
    strings, hits, _ = run(KeychainAnalytics, ev, matcher)
    assert {s.value for s in strings} >= {EVIL, "evilagentd"}
    assert {d.observable.type for d in hits if d.observable} == {"domain", "process"}
    icons, hits, _ = run(SafariFavicons, ev, matcher)
    assert icons[0].page_url.endswith("/landing") and icons[0].time is not None and hits
    origins, hits, _ = run(WebkitOrigins, ev, matcher)
    assert {(o.store, o.origin) for o in origins} == {
        ("LocalStorage", f"https://{EVIL}"), ("SafariViewService", f"https://{EVIL}:8443")}
    assert hits
    versions, _, _ = run(OSVersionHistory, ev)
    assert [(v.version, v.build) for v in versions] == [("16.2", "20C65"), ("17.1", "21B80")]


def test_clean(tmp_path: Path) -> None:
    ev = _open(tmp_path, _dump("example.org", "locationd"))
    matcher = index(*MATCHER)
    for artifact in (UrlCaches, KeychainAnalytics, SafariFavicons, WebkitOrigins):
        records, detections, _ = run(artifact, ev, matcher)
        assert records and detections == [], artifact.id


def test_parse_origin() -> None:
    assert parse_origin("https_a.b_0") == ("https://a.b", "a.b")
    assert parse_origin("http_a.b_8080.localstorage") == ("http://a.b:8080", "a.b")
    assert parse_origin("Databases.db") is None
