"""``spyscan.links.whatwg`` reads URLs as the Ada parser (WHATWG URL Standard) does, through its C binding."""

from __future__ import annotations

import ada_url
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spyscan.links.whatwg import HOST_DOMAIN, HOST_IPV4, HOST_IPV6, parse_host, parse_url

PIECES = st.sampled_from(["https://", "http:", "HTTP:/", "https:\\\\", "ftp://", "ws://", "file://", "foo://",
                          "intent://", "mailto:", "//", "u:p@", "@", "good.example@", "Evil.Example", "%65vil",
                          ".", "。", "０x7f", "3232235777", "0xC0A80101", "[::1]", "[::ffff:1.2.3.4]", ":8080", ":443",
                          ":", "/a/../b", "\\x", "?q='1'", "?", "#f", "#", "\t", "\n", " ", "%2e", "%zz", "ü",
                          "xn--bcher-kva", "\u202e", "\x00"])
URLISH = st.one_of(st.lists(PIECES, max_size=8).map("".join), st.text(max_size=40))


@settings(max_examples=400, deadline=None)
@given(URLISH)
def test_components_agree_with_the_packages_own_api(value: str) -> None:
    """The offsets read through the binding give what ada_url's documented ``parse_url`` gives."""
    parsed = parse_url(value)
    if parsed is None or not parsed.href.startswith(("http:", "https:", "ws:", "wss:", "ftp:", "file:")):
        return  # opaque hosts are read again as browser hosts (below); scheme-less input gets "http://"
    public = ada_url.parse_url(parsed.href)
    assert parsed.href == public["href"]
    assert parsed.scheme + ":" == public["protocol"]
    assert parsed.host == public["hostname"]
    assert parsed.host_kind == public["host_type"]
    assert parsed.port == public["port"]
    assert parsed.path == public["pathname"]
    assert ("?" + parsed.query if parsed.query else "") == public["search"]
    assert ("#" + parsed.fragment if parsed.fragment else "") == public["hash"]
    assert parsed.userinfo == bool(public["username"] or public["password"])


@settings(max_examples=300, deadline=None)
@given(URLISH)
def test_parsing_is_what_the_standard_gives(value: str) -> None:
    """With a scheme, ``parse_url`` is the standard's parse of the same text (ada_url.URL)."""
    parsed = parse_url(value)
    try:
        public = ada_url.URL(value)
    except (ValueError, UnicodeEncodeError):
        public = None
    if public is None or public.scheme_type == ada_url.SchemeType.NOT_SPECIAL or not value.strip(
            "".join(chr(c) for c in range(0x21))).lower().startswith(("http", "ftp", "ws", "file")):
        return
    assert parsed is not None
    assert parsed.href == public.href


@pytest.mark.parametrize(("value", "href", "host", "kind"), [
    ("https://%65vil.example/", "https://evil.example/", "evil.example", HOST_DOMAIN),
    ("http://3232235777/", "http://192.168.1.1/", "192.168.1.1", HOST_IPV4),
    ("http://0xC0A80101/", "http://192.168.1.1/", "192.168.1.1", HOST_IPV4),
    ("http://0300.0250.1.1/", "http://192.168.1.1/", "192.168.1.1", HOST_IPV4),
    ("http://192.168.257/", "http://192.168.1.1/", "192.168.1.1", HOST_IPV4),
    ("https:/evil.example/x", "https://evil.example/x", "evil.example", HOST_DOMAIN),
    ("https:\\\\evil.example\\x", "https://evil.example/x", "evil.example", HOST_DOMAIN),
    ("http:evil.example", "http://evil.example/", "evil.example", HOST_DOMAIN),
    ("ht\ttps://ev\nil.example/", "https://evil.example/", "evil.example", HOST_DOMAIN),
    ("  HTTPS://EVIL.EXAMPLE  ", "https://evil.example/", "evil.example", HOST_DOMAIN),
    ("https://good.example@evil.example/", "https://good.example@evil.example/", "evil.example", HOST_DOMAIN),
    ("https://ＥＶＩＬ．example/", "https://evil.example/", "evil.example", HOST_DOMAIN),
    ("https://evil\u3002example./", "https://evil.example./", "evil.example.", HOST_DOMAIN),
    ("http://[::1]:80/x", "http://[::1]/x", "[::1]", HOST_IPV6),
    # no scheme: read as the address bar reads it
    ("evil.example/x", "http://evil.example/x", "evil.example", HOST_DOMAIN),
    ("evil.example:8080", "http://evil.example:8080/", "evil.example", HOST_DOMAIN),
    ("//evil.example/x", "http://evil.example/x", "evil.example", HOST_DOMAIN),
    # an opaque host of another scheme is read as a browser host
    ("intent://%65vil.example/#Intent;end", "intent://%65vil.example/#Intent;end", "evil.example", HOST_DOMAIN),
])
def test_spellings(value: str, href: str, host: str, kind: int) -> None:
    parsed = parse_url(value)
    assert parsed is not None
    assert (parsed.href, parsed.host, parsed.host_kind) == (href, host, kind)


@pytest.mark.parametrize("value", ["", "/var/mobile/x", "\\path", "http://a b/", "https://evil.example%2F/",
                                   "http://1.2.3.4.5/", "http://999999999999/", "https://ev\u202eil.example/",
                                   "x" * 70000, "\ud800://x"])
def test_refused(value: str) -> None:
    parsed = parse_url(value)
    assert parsed is None or not parsed.host


def test_no_host() -> None:
    for value in ("mailto:a@evil.example", "file:///etc/hosts", "javascript:alert(1)", "about:blank"):
        parsed = parse_url(value)
        assert parsed is not None and parsed.host == "", value


@pytest.mark.parametrize(("value", "expected"), [
    ("evil.example", ("evil.example", HOST_DOMAIN)), ("%65vil.EXAMPLE", ("evil.example", HOST_DOMAIN)),
    ("3232235777", ("192.168.1.1", HOST_IPV4)), ("[::1]", ("[::1]", HOST_IPV6)),
    ("bücher.example", ("xn--bcher-kva.example", HOST_DOMAIN)),
    ("evil.example:80", None), ("a/b", None), ("a@b", None), ("[::1", None), ("a b", None), ("", None),
    ("ev\til.example", None),
])
def test_parse_host(value: str, expected: tuple[str, int] | None) -> None:
    assert parse_host(value) == expected


ORDINARYISH = st.builds(
    lambda scheme, labels, top, path, query: f"{scheme}://{'.'.join([*labels, top])}{path}{query}",
    st.sampled_from(["http", "https", "HTTP"]),
    st.lists(st.text("abz09-", min_size=1, max_size=5) | st.sampled_from(["xn--bcher-kva", "0x1f", "www"]),
             min_size=1, max_size=3),
    st.text("az09-x", min_size=1, max_size=4) | st.sampled_from(["com", "0x1f", "123", "xn--p1ai"]),
    st.text("/aZ09._~!$&'()*+,;=:@%-", max_size=15) | st.sampled_from(["", "/", "/./a", "/a/..", "/%2e/", "/a b"]),
    st.sampled_from(["", "?", "?a=1&b=2", "?q='x'", "?%41=%zz", "?a?b", "#f", "?a#f", "?ü"]),
)


@settings(max_examples=500, deadline=None)
@given(ORDINARYISH)
def test_the_fast_path_for_ordinary_urls_is_what_the_parser_gives(value: str) -> None:
    from spyscan.links import whatwg

    fast = whatwg._ordinary(value)
    if fast is not None:
        assert fast == whatwg._parse(value.encode()), value


def test_the_fast_path_is_taken_for_ordinary_urls() -> None:
    from spyscan.links import whatwg

    for value in ("https://www.example.com/a/b?utm_source=x&id=1", "http://a.example", "https://a.co.uk/?"):
        assert whatwg._ordinary(value) is not None, value
    for value in ("https://A.example/", "https://a.example:8443/", "https://u@a.example/", "https://a.example/./x",
                  "https://a.0x1f/", "https://xn--bcher-kva.example/", "https://a.example/#f", "https://1.2.3.4/"):
        assert whatwg._ordinary(value) is None, value
