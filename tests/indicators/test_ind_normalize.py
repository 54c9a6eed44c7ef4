from __future__ import annotations

import pytest

from spyscan.indicators import normalize as n


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" Evil.COM. ", "evil.com"),
        ("www.evil.com", "evil.com"),
        ("www.", "www"),
        ("wwwevil.com", "wwwevil.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("a\u3002b\uff0ecom", "a.b.com"),
        ("", None),
        ("..", None),
    ],
)
def test_norm_domain(value: str, expected: str | None) -> None:
    assert n.norm_domain(value) == expected


def test_norm_domain_refuses_what_a_browser_refuses() -> None:
    assert n.norm_domain("\u0378" * 70 + ".example") is None  # unassigned code points: IDNA refuses them
    assert n.norm_domain("ev\u202eil.example") is None  # a bidi control inside a label (IDNA bidi rule)
    assert n.norm_domain("evil.123") is None  # ends in a number but is no IPv4 address
    assert n.norm_domain("fa\u00df.de") == "xn--fa-hia.de"  # UTS #46 non-transitional, as browsers


@pytest.mark.parametrize(
    ("value", "host"),
    [
        ("https://u:p@Host.example:8080/p?q#f", "host.example"),
        ("host.example/path", "host.example"),
        ("host.example:443", "host.example"),
        ("http://[2001:db8::1]:80/", "[2001:db8::1]"),
        ("2001:db8::1", "2001:db8::1"),
        ("mailto:user@evil.example", "evil.example"),
        ("http:///nohost", "nohost"),  # a browser ignores the extra slashes
        ("https:\\\\Evil.example\\x", "evil.example"),
        ("file:///etc/hosts", None),
        ("/var/mobile", None),
        ("", None),
    ],
)
def test_extract_host(value: str, host: str | None) -> None:
    assert n.extract_host(value) == host


def test_norm_url_equivalences() -> None:
    keys = {
        n.norm_url(u).key  # type: ignore[union-attr]
        for u in ("http://A.com", "https://a.com/", "a.com", "HTTP://a.com:80/", "https://www.a.com:443#x")
    }
    assert keys == {"a.com"}
    url = n.norm_url("https://A.com:8443/Path/?q='1'&r=2")
    assert url is not None
    assert url.key == "a.com:8443/Path?q=%271%27&r=2"  # ' as a browser sends it
    assert url.display == "https://a.com:8443/Path?q=%271%27&r=2"
    assert n.norm_url("ftp://a.com/x").key == "ftp://a.com/x"  # type: ignore[union-attr]
    assert n.norm_url("http://") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/private/var/mobile/x", "/var/mobile/x"),
        ("private/tmp//x/./y/", "/tmp/x/y"),
        ("/private/etc/hosts", "/etc/hosts"),
        ("/private/other", "/private/other"),
        ("/private", "/private"),
        ("/", None),
    ],
)
def test_norm_path(value: str, expected: str | None) -> None:
    assert n.norm_path(value) == expected


def test_ip_and_hash() -> None:
    assert str(n.norm_ip("::ffff:198.51.100.1")) == "198.51.100.1"
    assert str(n.norm_ip("fe80::1%eth0")) == "fe80::1"
    assert n.norm_ip("198.51.100.256") is None
    assert str(n.norm_ip_indicator("198.51.100.5/32")) == "198.51.100.5"
    assert n.norm_hash(" AB:cd ef\n") == "abcdef"


def test_domain_blank_or_control_characters() -> None:
    for bad in ("evil .com", "evil\u00a0.com", "evil\x85.com", "evil\x00.com", "ev\u2003il.com"):
        assert n.norm_domain(bad) is None, bad
    assert n.norm_domain("Ünïcode.example") == "xn--ncode-cta3g.example"
