from __future__ import annotations

import plistlib
from pathlib import Path

from spyscan.artifacts.ios.safari_browser_state import SafariBrowserState
from tests.ios_artifacts.fakes import FakeIOS, collect, detect, indicator

REL = "Library/Safari/BrowserState.db"


def _session_blob() -> bytes:
    body = plistlib.dumps({"SessionHistory": {"SessionHistoryCurrentIndex": 1, "SessionHistoryEntries": [
        {"SessionHistoryEntryURL": "https://news.example/a", "SessionHistoryEntryTitle": "News"},
        {"SessionHistoryEntryURL": "https://track.bad-domain.test/r?id=1",
         "SessionHistoryEntryOriginalURL": "http://short.example/q"},
    ]}}, fmt=plistlib.FMT_BINARY)
    return b"\x00\x00\x00\x02" + body


def _db(blob: bytes) -> object:
    def fill(conn: object) -> None:
        import sqlite3
        assert isinstance(conn, sqlite3.Connection)
        conn.execute("CREATE TABLE tabs (id INTEGER PRIMARY KEY, uuid TEXT, title TEXT, url TEXT, "
                     "user_visible_url TEXT, last_viewed_time REAL, opened_from_link BOOLEAN, "
                     "private_browsing BOOLEAN)")
        conn.execute("CREATE TABLE tab_sessions (id INTEGER PRIMARY KEY, tab_uuid TEXT, session_data BLOB)")
        conn.execute("INSERT INTO tabs VALUES (1, 'U1', 'Tab', 'https://news.example/a', 'news.example/a', "
                     "650000000.0, 1, 0)")
        conn.execute("INSERT INTO tab_sessions VALUES (1, 'U1', ?)", (blob,))
    return fill


def test_tabs_and_session_history(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, _db(_session_blob()))  # type: ignore[arg-type]
    records, log = collect(SafariBrowserState, ev)
    assert not log.warnings
    (tab,) = records
    assert tab.url == "https://news.example/a" and tab.opened_from_link is True and tab.private_browsing is False
    assert set(tab.session_urls) == {"https://news.example/a", "https://track.bad-domain.test/r?id=1",
                                     "http://short.example/q"}
    assert tab.session_titles == ["News"]
    assert tab.last_viewed_time is not None and tab.last_viewed_time.year == 2021
    found = detect("ios.safari_browser_state", records, [indicator("domain-name:value", "bad-domain.test")])
    assert len(found) == 1 and found[0].observable is not None
    assert found[0].observable.value == "https://track.bad-domain.test/r?id=1"


def test_damaged_session_blob_falls_back_to_raw_urls(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, _db(b"\x01\x02bplist00garbage https://raw.example/page\x00\xff"))  # type: ignore[arg-type]
    records, log = collect(SafariBrowserState, ev)
    assert records[0].session_urls == ["https://raw.example/page"]
    assert any("raw bytes" in w for w in log.warnings)


def test_old_schema_without_sessions(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, ["CREATE TABLE tabs (id INTEGER PRIMARY KEY, title TEXT, url TEXT)",
                                      "INSERT INTO tabs VALUES (1, 't', 'https://x.example/')"])
    records, log = collect(SafariBrowserState, ev)
    assert records[0].url == "https://x.example/" and records[0].session_urls == []
    assert log.warnings
