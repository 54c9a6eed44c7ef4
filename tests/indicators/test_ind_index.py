from __future__ import annotations

from collections.abc import Callable

import pytest

from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.model import Indicator
from spyscan.observables import Obs

Ind = Callable[..., Indicator]


def hits(index: IndicatorIndex, obs: Obs, value: str) -> list[tuple[str, str]]:
    return sorted((m.indicator.value, m.quality) for m in index.match(obs, value))


@pytest.fixture
def domains(ind: Ind) -> IndicatorIndex:
    return IndicatorIndex.build(
        [ind("domain-name:value", v) for v in ("wikibad.org", "web.bad-example.com", "EVIL.com.", "bücher.example")]
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("wikibad.org", [("wikibad.org", "exact")]),
        ("www.wikibad.org", [("wikibad.org", "exact")]),
        ("a.wikibad.org", [("wikibad.org", "subdomain")]),
        ("A.B.WikiBad.Org.", [("wikibad.org", "subdomain")]),
        ("notwikibad.org", []),
        ("wikibad.org.evil.net", []),
        ("wwwikibad.org", []),
        ("evil.com", [("EVIL.com.", "exact")]),
        ("bad-example.com", []),
        ("xn--bcher-kva.example", [("bücher.example", "exact")]),
        ("BÜCHER.example", [("bücher.example", "exact")]),
        ("https://x.web.bad-example.com/p", [("web.bad-example.com", "subdomain")]),
        ("web.bad-example.com:8443", [("web.bad-example.com", "exact")]),
        ("", []),
        ("org", []),
    ],
)
def test_domain(domains: IndicatorIndex, value: str, expected: list[tuple[str, str]]) -> None:
    assert hits(domains, Obs.DOMAIN, value) == expected


def test_www_removed_only_as_prefix(ind: Ind) -> None:
    index = IndicatorIndex.build([ind("domain-name:value", "w.example")])
    assert hits(index, Obs.DOMAIN, "www.w.example") == [("w.example", "exact")]
    assert hits(index, Obs.DOMAIN, "wwww.example") == []


def test_url_host_matching(domains: IndicatorIndex) -> None:
    cases = {
        "https://x.web.bad-example.com/p": [("web.bad-example.com", "subdomain")],
        "http://user:pw@wikibad.org:8080/x?y=1": [("wikibad.org", "url-host")],
        "wikibad.org/path": [("wikibad.org", "url-host")],
        "//wikibad.org": [("wikibad.org", "url-host")],
        "https://notwikibad.org/wikibad.org": [],
        "https://example.com/?u=wikibad.org": [],
    }
    for url, expected in cases.items():
        assert hits(domains, Obs.URL, url) == expected, url


def test_url_exact(ind: Ind) -> None:
    index = IndicatorIndex.build(
        [
            ind("url:value", "https://Short.example/a?b=c&d='e'", "indicator--1"),
            ind("url:value", "http://evil.example:8080/x/", "indicator--2"),
        ]
    )
    assert hits(index, Obs.URL, "https://short.example/a?b=c&d='e'") == [("https://Short.example/a?b=c&d='e'", "exact")]
    assert hits(index, Obs.URL, "HTTPS://SHORT.EXAMPLE:443/a?b=c&d='e'#frag") != []
    assert hits(index, Obs.URL, "https://short.example/A?b=c&d='e'") == []
    assert hits(index, Obs.URL, "https://short.example/a?b=c") == []
    assert hits(index, Obs.URL, "evil.example:8080/x") == [("http://evil.example:8080/x/", "exact")]
    assert hits(index, Obs.URL, "http://evil.example/x") == []
    (match,) = index.match(Obs.URL, "HTTPS://SHORT.EXAMPLE/a?b=c&d='e'")
    assert match.observed == "https://short.example/a?b=c&d=%27e%27"  # as a browser sends it
    assert hits(index, Obs.URL, "https://short.example/a?b=c&d=%27e%27") != []


def test_url_with_ip_host(ind: Ind) -> None:
    index = IndicatorIndex.build([ind("ipv4-addr:value", "198.51.100.1"), ind("ipv6-addr:value", "2001:db8::1")])
    assert hits(index, Obs.URL, "http://198.51.100.1:8080/x") == [("198.51.100.1", "exact")]
    assert hits(index, Obs.URL, "http://[2001:DB8::1]:443/x") == [("2001:db8::1", "exact")]
    assert hits(index, Obs.URL, "http://198.51.100.10/") == []


def test_text_extraction(ind: Ind) -> None:
    index = IndicatorIndex.build(
        [
            ind("domain-name:value", "wikibad.org"),
            ind("url:value", "https://link.example/p?id=7"),
            ind("email-addr:value", "Spy@Mail.Example"),
            ind("ipv4-addr:value", "198.51.100.1"),
            ind("domain-name:value", "bad.example"),
        ]
    )
    text = (
        "Hola! Mira esto: https://link.example/p?id=7, o www.wikibad.org/x. "
        "Escribe a spy@mail.example (o visita sub.bad.example). Servidor 198.51.100.1. "
        "notwikibad.org no. 198.51.100.10 tampoco."
    )
    assert hits(index, Obs.TEXT, text) == [
        ("198.51.100.1", "exact"),
        ("Spy@Mail.Example", "exact"),
        ("bad.example", "subdomain"),
        ("https://link.example/p?id=7", "exact"),
        ("wikibad.org", "url-host"),
    ]
    assert hits(index, Obs.TEXT, "nothing here, no hosts") == []


def test_ip(ind: Ind) -> None:
    index = IndicatorIndex.build(
        [
            ind("ipv4-addr:value", "198.51.100.1"),
            ind("ipv4-addr:value", "203.0.113.0/24"),
            ind("ipv6-addr:value", "2001:DB8:0:0::1"),
            ind("ipv6-addr:value", "2001:db8:ff::/48"),
            ind("ipv4-addr:value", "not an ip"),
        ]
    )
    assert index.size == 4 and len(index.skipped) == 1
    assert hits(index, Obs.IP, "198.51.100.1") == [("198.51.100.1", "exact")]
    assert hits(index, Obs.IP, " 198.51.100.1 ") == [("198.51.100.1", "exact")]
    assert hits(index, Obs.IP, "198.51.100.10") == []
    assert hits(index, Obs.IP, "198.51.100.1:443") == [("198.51.100.1", "exact")]
    assert hits(index, Obs.IP, "::ffff:198.51.100.1") == [("198.51.100.1", "exact")]
    assert hits(index, Obs.IP, "203.0.113.77") == [("203.0.113.0/24", "cidr")]
    assert hits(index, Obs.IP, "203.0.114.1") == []
    assert hits(index, Obs.IP, "2001:db8::1") == [("2001:DB8:0:0::1", "exact")]
    assert hits(index, Obs.IP, "[2001:db8::1]") == [("2001:DB8:0:0::1", "exact")]
    assert hits(index, Obs.IP, "2001:db8:ff:1::5") == [("2001:db8:ff::/48", "cidr")]
    assert hits(index, Obs.IP, "2001:db8:fe::5") == []
    assert hits(index, Obs.IP, "banana") == []


def test_domain_indicator_holding_an_ip(ind: Ind) -> None:
    index = IndicatorIndex.build([ind("domain-name:value", "198.51.100.7")])
    assert hits(index, Obs.IP, "198.51.100.7") == [("198.51.100.7", "exact")]
    assert hits(index, Obs.DOMAIN, "198.51.100.7") == [("198.51.100.7", "exact")]
    assert hits(index, Obs.IP, "198.51.100.70") == []


def test_file_paths(ind: Ind) -> None:
    index = IndicatorIndex.build(
        [
            ind("file:path", "/a/bad"),
            ind("file:path", "/private/var/tmp/hooker"),
            ind("file:path", "/data/local/tmp/wd/"),
            ind("file:path", "Library/Preferences/x.plist"),
            ind("file:name", "rce_loader.js"),
        ]
    )
    assert hits(index, Obs.FILE_PATH, "/a/bad") == [("/a/bad", "exact")]
    assert hits(index, Obs.FILE_PATH, "/a/bad/x") == [("/a/bad", "prefix")]
    assert hits(index, Obs.FILE_PATH, "/a/badfile") == []
    assert hits(index, Obs.FILE_PATH, "/a") == []
    assert hits(index, Obs.FILE_PATH, "/var/tmp/hooker") == [("/private/var/tmp/hooker", "exact")]
    assert hits(index, Obs.FILE_PATH, "private/var/tmp/hooker/x") == [("/private/var/tmp/hooker", "prefix")]
    assert hits(index, Obs.FILE_PATH, "/private/var/tmp/hooker2") == []
    assert hits(index, Obs.FILE_PATH, "data/local/tmp/wd/fs.db") == [("/data/local/tmp/wd/", "prefix")]
    assert hits(index, Obs.FILE_PATH, "Library/Preferences/x.plist") == [("Library/Preferences/x.plist", "exact")]
    # a relative indicator path matches inside any home or container, component-aware
    assert hits(index, Obs.FILE_PATH, "/private/var/mobile/Library/Preferences/x.plist") == [
        ("Library/Preferences/x.plist", "exact")
    ]
    assert hits(index, Obs.FILE_PATH, "/var/mobile/Library/Preferences/x.plist/y") == [
        ("Library/Preferences/x.plist", "prefix")
    ]
    assert hits(index, Obs.FILE_PATH, "/var/mobile/Library/Preferences/x.plist.bak") == []
    assert hits(index, Obs.FILE_PATH, "/var/mobile/MyLibrary/Preferences/x.plist") == []
    assert hits(index, Obs.FILE_PATH, "/var/www/rce_loader.js") == [("rce_loader.js", "exact")]
    assert hits(index, Obs.FILE_PATH, "/var/www/rce_loader.js.bak") == []
    assert hits(index, Obs.FILE_NAME, "rce_loader.js") == [("rce_loader.js", "exact")]
    assert hits(index, Obs.FILE_NAME, "RCE_loader.js") == []
    assert hits(index, Obs.FILE_NAME, "/x/rce_loader.js") == [("rce_loader.js", "exact")]


def test_private_aliases_both_ways(ind: Ind) -> None:
    index = IndicatorIndex.build([ind("file:path", "/var/mobile/x"), ind("file:path", "/etc/hosts.bad")])
    assert hits(index, Obs.FILE_PATH, "/private/var/mobile/x") == [("/var/mobile/x", "exact")]
    assert hits(index, Obs.FILE_PATH, "/private/etc/hosts.bad") == [("/etc/hosts.bad", "exact")]
    assert hits(index, Obs.FILE_PATH, "/private/mobile/x") == []


def test_process(ind: Ind) -> None:
    index = IndicatorIndex.build(
        [ind("process:name", "bh"), ind("process:name", "contextstoremgrd"), ind("process:name", "a" * 20)]
    )
    assert hits(index, Obs.PROCESS, "bh") == [("bh", "exact")]
    assert hits(index, Obs.PROCESS, "/usr/libexec/bh") == [("bh", "exact")]
    assert hits(index, Obs.PROCESS, "bhx") == []
    assert hits(index, Obs.PROCESS, "b") == []
    (match,) = index.match(Obs.PROCESS, "contextstoremgr")  # 15 characters: kernel-truncated
    assert (match.quality, match.weak) == ("truncated", True)
    assert hits(index, Obs.PROCESS, "contextstorem") == []  # 13 characters: no truncation match
    assert hits(index, Obs.PROCESS, "a" * 16) == [("a" * 20, "truncated")]
    assert hits(index, Obs.PROCESS, "a" * 17) == []
    assert [m.weak for m in index.match(Obs.PROCESS, "contextstoremgrd")] == [False]


@pytest.mark.parametrize(
    ("kind", "stored", "obs", "observed"),
    [
        ("file:hashes.sha256", "AB" * 32, Obs.SHA256, " " + "ab" * 32 + "\n"),
        ("file:hashes.md5", "ab:cd:ef", Obs.MD5, "ABCDEF"),
        ("file:hashes.sha1", "abcd", Obs.SHA1, "AB CD"),
        ("app:cert.sha1", "AA:BB", Obs.CERT_SHA1, "aabb"),
        ("app:cert.sha256", "aabb", Obs.CERT_SHA256, "AA:BB"),
        ("app:cert.md5", "aabb", Obs.CERT_MD5, "AABB"),
        ("email-addr:value", "Spy@Example.com", Obs.EMAIL, "mailto:spy@example.COM"),
        ("app:id", "com.Evil.App", Obs.APP_ID, "com.evil.app"),
        ("configuration-profile:id", "76DAB334-7E17-475D-A5D6-0794EB5818A5", Obs.PROFILE_ID,
         "76dab334-7e17-475d-a5d6-0794eb5818a5"),
        ("android-property:name", "sys.brand.note", Obs.ANDROID_PROPERTY, " sys.brand.note "),
    ],
)
def test_exact_types(ind: Ind, kind: str, stored: str, obs: Obs, observed: str) -> None:
    index = IndicatorIndex.build([ind(kind, stored)])
    assert hits(index, obs, observed) == [(stored, "exact")]
    assert hits(index, obs, observed.strip() + "0") == []


def test_exact_types_do_not_cross(ind: Ind) -> None:
    index = IndicatorIndex.build([ind("file:hashes.sha256", "ab"), ind("android-property:name", "Sys.X")])
    assert hits(index, Obs.MD5, "ab") == []
    assert hits(index, Obs.CERT_SHA256, "ab") == []
    assert hits(index, Obs.ANDROID_PROPERTY, "sys.x") == []


def test_dedup_and_all_matches(ind: Ind) -> None:
    a = ind("domain-name:value", "evil.com", "indicator--1")
    b = ind("domain-name:value", "x.evil.com", "indicator--2")
    index = IndicatorIndex.build([a, a, b])
    matches = index.match(Obs.TEXT, "see https://x.evil.com and x.evil.com and www.x.evil.com")
    assert sorted((m.indicator.stix_id, m.quality) for m in matches) == [
        ("indicator--1", "subdomain"),
        ("indicator--2", "url-host"),
    ]


def test_empty_index_and_odd_input(ind: Ind) -> None:
    index = IndicatorIndex.build([])
    for obs in Obs:
        assert index.match(obs, "anything://[::1]:x/\x00") == []


def test_index_pickles(ind: Ind) -> None:
    import pickle

    index = IndicatorIndex.build([ind("ipv4-addr:value", "203.0.113.0/24"), ind("process:name", "x" * 17)])
    copy = pickle.loads(pickle.dumps(index))
    assert hits(copy, Obs.IP, "203.0.113.9") == [("203.0.113.0/24", "cidr")]
    assert hits(copy, Obs.PROCESS, "x" * 16) == [("x" * 17, "truncated")]
