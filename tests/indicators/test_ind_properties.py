"""Property tests: normalisers and matching never raise; domain matching is label-aware."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spyscan.indicators import normalize as n
from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.model import Indicator
from spyscan.links.text import extract_from_text
from spyscan.observables import Obs


def _ind(kind: str, value: str) -> Indicator:
    return Indicator(type=kind, value=value, stix_id="indicator--p", malware=None, file="p")


INDEX = IndicatorIndex.build(
    [
        _ind("domain-name:value", "evil.example"),
        _ind("url:value", "https://evil.example/x?a='b'"),
        _ind("ipv4-addr:value", "198.51.100.0/24"),
        _ind("ipv6-addr:value", "2001:db8::1"),
        _ind("file:path", "/private/var/tmp/x"),
        _ind("file:name", "x.js"),
        _ind("process:name", "contextstoremgrd"),
        _ind("file:hashes.sha256", "ab"),
        _ind("email-addr:value", "a@evil.example"),
        _ind("app:id", "com.evil"),
        _ind("android-property:name", "sys.x"),
        _ind("configuration-profile:id", "uuid"),
    ]
)

NORMALISERS = [
    n.norm_domain, n.extract_host, n.norm_url, n.norm_ip, n.norm_ip_indicator, n.norm_path, n.basename,
    n.norm_process, n.norm_hash, n.norm_email, n.norm_folded, n.norm_exact, extract_from_text,
]

url_like = st.builds(
    lambda scheme, user, host, port, path: f"{scheme}{user}{host}{port}{path}",
    st.sampled_from(["", "http://", "HTTPS://", "//", "ftp://", "x+y://"]),
    st.sampled_from(["", "u@", "u:p@", "@"]),
    st.one_of(st.text(max_size=20), st.sampled_from(["[::1]", "[", "1.2.3.4", "evil.example", "ü.example"])),
    st.sampled_from(["", ":", ":80", ":x", ":443"]),
    st.text(max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), url_like))
def test_normalisers_never_raise(value: str) -> None:
    for normalise in NORMALISERS:
        normalise(value)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(list(Obs)), st.one_of(st.text(), url_like))
def test_match_never_raises(obs: Obs, value: str) -> None:
    assert isinstance(INDEX.match(obs, value), list)


label = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8).filter(
    lambda s: s[0] != "-" and s[-1] != "-" and s != "www"
)
tld = st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=5)


@settings(max_examples=150, deadline=None)
@given(st.lists(label, min_size=1, max_size=3), tld, st.lists(label, max_size=3), label)
def test_domain_matching_is_label_aware(names: list[str], top: str, sub: list[str], glued: str) -> None:
    indicator = [*names, top]
    domain = ".".join(indicator)
    index = IndicatorIndex.build([_ind("domain-name:value", domain)])
    observed = ".".join([*sub, domain])
    assert [m.quality for m in index.match(Obs.DOMAIN, observed)] == ["subdomain" if sub else "exact"]
    # a label glued on the left is a different domain
    assert index.match(Obs.DOMAIN, glued + domain) == []
    # the parent is not matched, nor a sibling
    assert index.match(Obs.DOMAIN, ".".join(indicator[1:])) == []
    assert index.match(Obs.DOMAIN, ".".join([glued + "x", *indicator[1:]])) == []
