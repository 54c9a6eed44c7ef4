from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from spyscan.artifacts.ios.safari_history import SafariHistory
from spyscan.errors import ArtifactNotFound
from tests.ios_artifacts.fakes import FakeIOS, collect, detect, indicator

REL = "Library/Safari/History.db"
SCHEMA = [
    "CREATE TABLE history_items (id INTEGER PRIMARY KEY, url TEXT, domain_expansion TEXT, visit_count INTEGER)",
    "CREATE TABLE history_visits (id INTEGER PRIMARY KEY, history_item INTEGER, visit_time REAL, title TEXT,"
    " load_successful BOOLEAN, redirect_source INTEGER, redirect_destination INTEGER, origin INTEGER)",
]


def _db() -> list[str]:
    return [*SCHEMA,
        "INSERT INTO history_items VALUES (1, 'http://short.example/x', 'short', 1)",
        "INSERT INTO history_items VALUES (2, 'https://landing.bad-domain.test/p?a=1', 'x', 1)",
        "INSERT INTO history_items VALUES (3, 'https://old.example/', 'old', 1)",
        "INSERT INTO history_visits VALUES (10, 1, 700000000.0, 'Short', 1, NULL, 11, 0)",
        "INSERT INTO history_visits VALUES (11, 2, 700000000.5, 'Landing', 1, 10, NULL, 0)",
        "INSERT INTO history_visits VALUES (12, 3, -100000000.0, 'Old', 0, NULL, NULL, 0)",
        "INSERT INTO history_visits VALUES (13, 3, 1000000000.0, 'Future', 1, NULL, NULL, 0)",
    ]


def test_visits_with_redirects_and_times(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    label = ev.add_sqlite("HomeDomain", REL, _db())
    records, log = collect(SafariHistory, ev)
    assert not log.warnings
    by_id = {r.visit_id: r for r in records}
    first = by_id[10]
    assert first.url == "http://short.example/x"
    assert first.redirect_destination_url == "https://landing.bad-domain.test/p?a=1"
    assert first.visit_time == datetime(2023, 3, 8, 20, 26, 40, tzinfo=UTC)
    assert first.visit_time_raw == 700000000.0
    assert first.redirect_destination_time_raw == 700000000.5
    assert first.source.file == label and first.source.table == "history_visits" and first.source.rowid == 10
    assert by_id[11].redirect_source_url == "http://short.example/x"
    assert by_id[12].load_successful is False
    assert by_id[12].visit_time is None  # 1997: before the first iPhone, cannot be true
    assert by_id[12].visit_time_raw == -100_000_000
    assert by_id[13].visit_time == datetime(2032, 9, 9, 1, 46, 40, tzinfo=UTC)  # late dates convert too


def test_indicator_on_redirect_destination(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, _db())
    records, _ = collect(SafariHistory, ev)
    found = detect("ios.safari_history", records, [indicator("domain-name:value", "bad-domain.test")])
    assert found and all(d.indicator is not None and d.indicator.value == "bad-domain.test" for d in found)
    assert len(found) == 1 and found[0].count == 2  # one domain, two visits
    assert {o.source.rsplit(" ", 1)[-1] for o in found[0].occurrences} == {"10", "11"}


def test_old_schema_without_redirect_columns_warns(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, [
        "CREATE TABLE history_items (id INTEGER PRIMARY KEY, url TEXT)",
        "CREATE TABLE history_visits (id INTEGER PRIMARY KEY, history_item INTEGER, visit_time REAL)",
        "INSERT INTO history_items VALUES (1, 'https://a.example/')",
        "INSERT INTO history_visits VALUES (1, 1, 600000000)",
    ])
    records, log = collect(SafariHistory, ev)
    assert [r.url for r in records] == ["https://a.example/"]
    assert records[0].redirect_destination_url is None
    assert any("redirect_destination" in w for w in log.warnings)


def test_filesystem_app_containers_each_read(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path, mode="fs")
    ev.add_sqlite("HomeDomain", REL, _db(), fs="private/var/mobile/Library/Safari/History.db")
    ev.add_sqlite("X", REL, _db(), fs=f"private/var/mobile/Containers/Data/Application/ABC/{REL}")
    records, _ = collect(SafariHistory, ev)
    assert {r.source.file for r in records} == {
        "private/var/mobile/Library/Safari/History.db",
        f"private/var/mobile/Containers/Data/Application/ABC/{REL}",
    }


def test_missing_file_and_table(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    with pytest.raises(ArtifactNotFound):
        collect(SafariHistory, ev)
    ev.add_sqlite("HomeDomain", REL, ["CREATE TABLE other (x)"])
    with pytest.raises(ArtifactNotFound):
        collect(SafariHistory, ev)


def test_invalid_utf8_and_nul_do_not_crash(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, [*SCHEMA,
        "INSERT INTO history_items VALUES (1, CAST(X'68747470733A2F2F61FF00622E6578616D706C652F' AS TEXT), 'a', 1)",
        "INSERT INTO history_visits VALUES (1, 1, 'garbage', '<b>x</b>', 1, NULL, NULL, 0)",
    ])
    records, _ = collect(SafariHistory, ev)
    assert records[0].url is not None and "\\xff" in records[0].url and "\\x00" in records[0].url
    assert records[0].visit_time is None


def test_fast_redirect_rule(tmp_path: Path) -> None:
    from spyscan.detection.heuristics.ios_safari_fast_redirect import IOSSafariFastRedirect
    from spyscan.detection.model import Severity

    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, [
        *_db(),
        "INSERT INTO history_items VALUES (4, 'http://slow.example/', 'slow', 1)",
        "INSERT INTO history_items VALUES (5, 'https://other.example/', 'o', 1)",
        "INSERT INTO history_visits VALUES (20, 4, 700000100.0, 'S', 1, NULL, 21, 0)",
        "INSERT INTO history_visits VALUES (21, 5, 700000102.0, 'O', 1, 20, NULL, 0)",
    ])
    records, _ = collect(SafariHistory, ev)
    found = detect("ios.safari_history", records, rules=[IOSSafariFastRedirect])
    assert [d.record["visit_id"] for d in found] == [10]  # 0.5 s to another domain; visit 20 took 2 s
    assert found[0].severity is Severity.MEDIUM and "landing.bad-domain.test" in found[0].message


def _redirects(tmp_path: Path, pairs: list[tuple[str, str]], extra: tuple[str, ...] = ()) -> list[object]:
    """A history where each ``(source, destination)`` visit pair is redirected after 0.3 ms (real timing of
    the plaso History.db), plus visits of ``extra`` URLs."""
    from spyscan.detection.heuristics.ios_safari_fast_redirect import IOSSafariFastRedirect

    statements = list(SCHEMA)
    item = visit = 0
    for offset, (source, target) in enumerate(pairs):
        when = 531955551.608873 + offset * 10
        for url, stamp, src, dst in ((source, when, None, visit + 2), (target, when + 0.000362, visit + 1, None)):
            item += 1
            visit += 1
            statements.append(f"INSERT INTO history_items VALUES ({item}, '{url}', 'x', 1)")
            statements.append(f"INSERT INTO history_visits VALUES ({visit}, {item}, {stamp}, 'T', 1,"
                              f" {src or 'NULL'}, {dst or 'NULL'}, 0)")
    for url in extra:
        item += 1
        visit += 1
        statements.append(f"INSERT INTO history_items VALUES ({item}, '{url}', 'x', 1)")
        statements.append(f"INSERT INTO history_visits VALUES ({visit}, {item}, 531955900.0, 'T', 1, NULL, NULL, 0)")
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, statements)
    records, _ = collect(SafariHistory, ev)
    return detect("ios.safari_history", records, rules=[IOSSafariFastRedirect])


def test_fast_redirect_within_one_site_is_ignored(tmp_path: Path) -> None:
    """Real shapes of the plaso History.db: http://facebook.com/ -> https://www.facebook.com/ and the like."""
    pairs = [("http://facebook.com/", "https://www.facebook.com/"), ("http://cnn.com/", "http://www.cnn.com/"),
             ("http://youtube.com/", "https://m.youtube.com/"), ("http://a.example.co.uk/", "https://b.example.co.uk/")]
    assert _redirects(tmp_path, pairs) == []


def test_brand_typo_redirect_is_low_context(tmp_path: Path) -> None:
    """The real history: http://foxnew.com/ redirected at once to www.foxnews.com, which is visited again."""
    from spyscan.detection.model import Severity

    [found] = _redirects(tmp_path, [("http://foxnew.com/", "http://www.foxnews.com/")],
                         extra=("https://sso.foxnews.com/static/server.html", "http://www.foxnews.com/"))
    assert (found.severity, found.category) == (Severity.LOW, "context")
    assert "foxnew.com redirected to www.foxnews.com" in found.message


@pytest.mark.parametrize(("target", "reason"), [
    ("http://203.0.113.7/x", "raw IP address"),
    ("https://news.example.org:30495/x", "non-standard port 30495"),
    ("https://bun54l2b67.get1tn0w.news.example.org/szev4hz", "random-looking labels (bun54l2b67, get1tn0w)"),
])
def test_exploit_server_shapes_are_medium(tmp_path: Path, target: str, reason: str) -> None:
    from spyscan.detection.model import Severity

    [found] = _redirects(tmp_path, [("http://innocent.example/", target)],
                         extra=("https://news.example.org/", "http://203.0.113.7/"))
    assert (found.severity, found.category) == (Severity.MEDIUM, "compromise")
    assert reason in found.message and "seen nowhere else" not in found.message


def test_safari_profiles_each_have_a_history_db(tmp_path: Path) -> None:
    profile = "Library/Safari/Profiles/6F2C0A4E-0000-0000-0000-000000000001/History.db"
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, _db())
    ev.add_sqlite("HomeDomain", profile, _db())
    records, _ = collect(SafariHistory, ev)
    assert {r.source.file for r in records} == {f"HomeDomain/{REL}", f"HomeDomain/{profile}"}
    fs = FakeIOS(tmp_path / "fs", mode="fs")
    fs.add_sqlite("HomeDomain", profile, _db(), fs=f"private/var/mobile/{profile}")
    records, _ = collect(SafariHistory, fs)
    assert len(records) == 4 and records[0].source.file == f"private/var/mobile/{profile}"


def test_a_profile_without_the_tables_does_not_hide_the_others(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, ["CREATE TABLE unrelated (x INTEGER)"])
    ev.add_sqlite("HomeDomain", "Library/Safari/Profiles/ABC/History.db", _db())
    records, log = collect(SafariHistory, ev)
    assert len(records) == 4
    assert {r.source.file for r in records} == {"HomeDomain/Library/Safari/Profiles/ABC/History.db"}
    assert any("has no table history_items" in w for w in log.warnings)


def test_no_usable_history_is_not_found(tmp_path: Path) -> None:
    ev = FakeIOS(tmp_path)
    ev.add_sqlite("HomeDomain", REL, ["CREATE TABLE unrelated (x INTEGER)"])
    with pytest.raises(ArtifactNotFound, match="has no table history_items"):
        collect(SafariHistory, ev)
