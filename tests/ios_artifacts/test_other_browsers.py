from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from spyscan.artifacts.ios.chrome_favicons import ChromeFavicons
from spyscan.artifacts.ios.chrome_history import CHROME_DIR, CHROME_DOMAIN, ChromeHistory
from spyscan.artifacts.ios.firefox_favicons import FirefoxFavicons
from spyscan.artifacts.ios.firefox_history import FirefoxHistory
from spyscan.artifacts.ios.webkit_resource_load_statistics import WebKitResourceLoadStatistics
from spyscan.artifacts.ios.webkit_session_resource_log import WebKitSessionResourceLog
from spyscan.errors import ArtifactNotFound
from tests.ios_artifacts.fakes import FakeIOS, collect, detect, indicator

BAD = indicator("domain-name:value", "bad-domain.test")
FF = "AppDomainGroup-group.org.mozilla.ios.Firefox"  # + "profile.profile/browser.db": backup id 2e57c396...
RLS = "WebKit/WebsiteData/ResourceLoadStatistics"
# 2024-01-02T03:04:05Z in Chrome/WebKit microseconds since 1601
CHROME_TIME = (int(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp()) + 11644473600) * 1_000_000


def test_chrome_history(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    label = ev.add_sqlite(CHROME_DOMAIN, f"{CHROME_DIR}/History", [
        "CREATE TABLE urls (id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR, visit_count INTEGER)",
        "CREATE TABLE visits (id INTEGER PRIMARY KEY, url INTEGER, visit_time INTEGER, from_visit INTEGER,"
        " transition INTEGER)",
        "INSERT INTO urls VALUES (1, 'https://x.bad-domain.test/a', 'A', 1)",
        f"INSERT INTO visits VALUES (5, 1, {CHROME_TIME}, 0, 805306368)",
    ])
    records, log = collect(ChromeHistory, ev)
    assert not log.warnings
    (visit,) = records
    assert visit.url == "https://x.bad-domain.test/a" and visit.visit_time == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert visit.visit_time_raw == CHROME_TIME and visit.source.file == label and visit.source.rowid == 5
    assert len(detect("ios.chrome_history", records, [BAD])) == 1


def test_chrome_favicons_with_and_without_bitmaps(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite(CHROME_DOMAIN, f"{CHROME_DIR}/Favicons", [
        "CREATE TABLE icon_mapping (id INTEGER PRIMARY KEY, page_url LONGVARCHAR, icon_id INTEGER)",
        "CREATE TABLE favicons (id INTEGER PRIMARY KEY, url LONGVARCHAR, icon_type INTEGER)",
        "CREATE TABLE favicon_bitmaps (id INTEGER PRIMARY KEY, icon_id INTEGER, last_updated INTEGER)",
        "INSERT INTO icon_mapping VALUES (1, 'https://page.example/', 7)",
        "INSERT INTO favicons VALUES (7, 'https://cdn.bad-domain.test/favicon.ico', 1)",
        f"INSERT INTO favicon_bitmaps VALUES (1, 7, {CHROME_TIME})",
    ])
    records, _ = collect(ChromeFavicons, ev)
    assert records[0].icon_url == "https://cdn.bad-domain.test/favicon.ico"
    assert records[0].page_url == "https://page.example/" and records[0].last_updated is not None
    assert len(detect("ios.chrome_favicons", records, [BAD])) == 1


def test_firefox_history_and_favicons(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    micros = int(datetime(2022, 6, 1, tzinfo=UTC).timestamp()) * 1_000_000
    ev.add_sqlite(FF, "profile.profile/browser.db", [
        "CREATE TABLE history (id INTEGER PRIMARY KEY, guid TEXT, url TEXT, title TEXT)",
        "CREATE TABLE visits (id INTEGER PRIMARY KEY, siteID INTEGER, date REAL, type INTEGER, is_local TINYINT)",
        "CREATE TABLE favicons (id INTEGER PRIMARY KEY, url TEXT, width INTEGER, height INTEGER, type INTEGER,"
        " date REAL)",
        "CREATE TABLE favicon_sites (id INTEGER PRIMARY KEY, siteID INTEGER, faviconID INTEGER)",
        "INSERT INTO history VALUES (1, 'g', 'https://bad-domain.test/landing', 'x')",
        f"INSERT INTO visits VALUES (1, 1, {micros}, 1, 1)",
        "INSERT INTO favicons VALUES (3, 'https://icons.example/i.png', 16, 16, 1, 1654041600)",
        "INSERT INTO favicon_sites VALUES (1, 1, 3)",
    ])
    visits, _ = collect(FirefoxHistory, ev)
    assert visits[0].url == "https://bad-domain.test/landing"
    assert visits[0].visit_time == datetime(2022, 6, 1, tzinfo=UTC) and visits[0].is_local is True
    icons, _ = collect(FirefoxFavicons, ev)
    assert icons[0].page_url == "https://bad-domain.test/landing"
    assert icons[0].updated == datetime(2022, 6, 1, tzinfo=UTC)
    assert len(detect("ios.firefox_favicons", icons, [BAD])) == 1


def test_firefox_favicons_missing_table(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite(FF, "profile.profile/browser.db", ["CREATE TABLE history (id INTEGER PRIMARY KEY)"])
    with pytest.raises(ArtifactNotFound):
        collect(FirefoxFavicons, ev)


def test_webkit_observations_in_app_containers(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path, mode="fs")
    schema = [
        "CREATE TABLE ObservedDomains (domainID INTEGER PRIMARY KEY, registrableDomain TEXT, lastSeen REAL,"
        " hadUserInteraction INTEGER, mostRecentUserInteractionTime REAL)",
        "INSERT INTO ObservedDomains VALUES (1, 'bad-domain.test', 1.6e9, 1, 1600000000.0)",
        "INSERT INTO ObservedDomains VALUES (2, 'fine.example', 1.6e9, 0, 0)",
    ]
    app = "private/var/mobile/Containers/Data/Application/1111-AAAA"
    svs = "private/var/mobile/Containers/Data/Application/2222-BBBB"
    ev.add_sqlite("x", f"{RLS}/observations.db", schema, fs=f"{app}/Library/{RLS}/observations.db")
    # SafariViewService keeps observations.db directly in WebsiteData (no ResourceLoadStatistics folder)
    ev.add_sqlite("x", "observations.db", schema,
                  fs=f"{svs}/SystemData/com.apple.SafariViewService/Library/WebKit/WebsiteData/observations.db")
    records, _ = collect(WebKitResourceLoadStatistics, ev)
    assert len(records) == 4
    assert {r.container for r in records} == {app, svs}
    first = next(r for r in records if r.domain == "bad-domain.test")
    assert first.most_recent_user_interaction == datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC)
    assert first.last_seen == datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC) and first.last_seen_raw == 1.6e9
    assert next(r for r in records if r.domain == "fine.example").most_recent_user_interaction is None
    found = detect("ios.webkit_resource_load_statistics", records, [BAD])
    assert len(found) == 1 and found[0].count == 2  # one domain seen by two apps: one finding, two occurrences
    assert len({o.source for o in found[0].occurrences}) == 2


def test_webkit_session_resource_log(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    # Safari's copy: AppDomain-com.apple.mobilesafari (backup file id a500ee38... is the sha1 of this path)
    ev.add_plist("AppDomain-com.apple.mobilesafari", f"Library/{RLS}/full_browsing_session_resourceLog.plist",
                 {"browsingStatistics": [
                     {"PrevalentResourceOrigin": "start.example",
                      "topFrameUniqueRedirectsTo": [{"origin": "hop.bad-domain.test"}],
                      "topFrameUniqueRedirectsFrom": [{"domain": "from.example"}],
                      "subresourceUnderTopFrameOrigins": [{"origin": "cdn.example"}],
                      "hadUserInteraction": True,
                      "mostRecentUserInteraction": datetime(2023, 11, 14, 22, 13, 20),
                      "lastSeen": datetime(2023, 11, 15, 0, 0, 0)},
                     "not-a-dict",
                 ]})
    records, _ = collect(WebKitSessionResourceLog, ev)
    (entry,) = records
    assert entry.origin == "start.example" and entry.redirects_to == ["hop.bad-domain.test"]
    assert entry.redirects_from == ["from.example"] and entry.had_user_interaction is True
    assert set(entry.domains) == {"start.example", "hop.bad-domain.test", "from.example", "cdn.example"}
    assert entry.most_recent_interaction == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert entry.last_seen == datetime(2023, 11, 15, tzinfo=UTC)
    assert entry.container == "AppDomain-com.apple.mobilesafari"
    assert len(detect("ios.webkit_session_resource_log", records, [BAD])) == 1


def test_webkit_session_resource_log_in_web_clips_and_safari_view_service(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path, mode="fs")
    log = {"browsingStatistics": [{"PrevalentResourceOrigin": "x.bad-domain.test", "lastSeen": 1700000000.0}]}
    name = "full_browsing_session_resourceLog.plist"
    ev.add_plist("x", name, log, fs=f"private/var/mobile/Library/WebClips/ABC.webclip/Storage/{name}")
    ev.add_plist("x", name, log, fs="private/var/mobile/Containers/Data/Application/U1/SystemData/"
                                    f"com.apple.SafariViewService/Library/WebKit/WebsiteData/{name}")
    records, _ = collect(WebKitSessionResourceLog, ev)
    assert len(records) == 2 and all(r.last_seen == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC) for r in records)


def test_webkit_session_log_damaged_plist_warns(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_bytes("HomeDomain", f"Library/{RLS}/full_browsing_session_resourceLog.plist", b"bplist00\xff\x00junk")
    records, log = collect(WebKitSessionResourceLog, ev)
    assert records == [] and log.warnings
