"""Property-based tests: parsers and converters never raise on any input, and round trips hold where
they are defined. Kept fast: moderate example counts, no deadlines."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spyscan import timeutil
from spyscan.errors import EvidenceError, IndicatorError
from spyscan.evidence.android_dumpsys import split_dumpsys_bytes
from spyscan.evidence.archive import safe_name
from spyscan.evidence.textio import decode_bytes, iter_lines
from spyscan.indicators import normalize
from spyscan.indicators.patterns import PatternUnsupported, parse_pattern
from spyscan.indicators.stix import parse_bundle_bytes
from spyscan.links.text import extract_from_text
from spyscan.timeutil import from_cocoa, from_iso, from_unix, from_unix_ms, from_webkit, iso

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- strategies -----------------------------------------------------------------------------------

label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
domain = st.builds(lambda labels, tld: ".".join([*labels, tld]), st.lists(label, min_size=1, max_size=4),
                   st.sampled_from(["com", "org", "net", "io", "xn--p1ai"]))
url = st.builds(lambda scheme, host, path, query: f"{scheme}://{host}/{path}{query}",
                st.sampled_from(["http", "https", "HTTPS", "ftp", ""]), domain, st.text(max_size=20),
                st.sampled_from(["", "?a=1", "?q='x'&b==", "#frag"]))
lines = st.lists(st.one_of(st.text(max_size=60), st.sampled_from([
    "DUMP OF SERVICE package:", "DUMP OF SERVICE CRITICAL appops:", "--------- 0.1s was the duration of dumpsys x,",
    "-" * 20, "", "  Package [com.example] (abc):", "[ro.build.version.sdk]: [34]", "USER PID PPID NAME",
    "SIGTERM: [1700000000] Shutting down...", "remaining client pid: 123 (/usr/bin/x)",
])), max_size=40)
stix_value = st.one_of(st.text(max_size=30), domain, url)
stix_pattern = st.one_of(
    st.text(max_size=80),
    st.builds(lambda t, v: f"[{t} = '{v}']", st.sampled_from([
        "domain-name:value", "url:value", "ipv4-addr:value", "file:hashes.sha256", "file:hashes.'SHA-256'",
        "process:name", "file:name", "email-addr:value", "app:id", "x-odd:thing"]), stix_value),
    st.builds(lambda a, b: f"[domain-name:value = '{a}' OR url:value = '{b}']", domain, url),
    st.builds(lambda a: f"[file:name = '{a}'] AND [process:name = 'x'] WITHIN 5 SECONDS", st.text(max_size=10)),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=30), st.binary(max_size=16), st.decimals(allow_nan=True))


# -- STIX ----------------------------------------------------------------------------------------

@FAST
@given(stix_pattern)
def test_stix_pattern_parser_never_raises_anything_else(pattern: str) -> None:
    try:
        comparisons = parse_pattern(pattern)
    except PatternUnsupported as exc:
        assert str(exc)
        return
    assert comparisons and all(isinstance(t, str) and isinstance(v, str) for t, v in comparisons)


@given(domain)
@FAST
def test_stix_single_comparison_round_trip(value: str) -> None:
    assert parse_pattern(f"[domain-name:value = '{value}']") == [("domain-name:value", value)]


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
                           lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=20)
indicator = st.fixed_dictionaries({"type": st.sampled_from(["indicator", "malware", "relationship", "x"]),
                                   "id": st.text(max_size=20), "pattern": stix_pattern,
                                   "pattern_type": st.sampled_from(["stix", "yara", ""])})


@SLOW
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                 st.lists(st.one_of(indicator, json_values), max_size=6).map(
                     lambda objs: json.dumps({"type": "bundle", "id": "bundle--1", "objects": objs}).encode())))
def test_stix_bundle_parser_never_raises_anything_else(data: bytes) -> None:
    try:
        parsed = parse_bundle_bytes(data, "fuzz.stix2")
    except IndicatorError as exc:
        assert "fuzz.stix2" in str(exc) or str(exc)
        return
    assert all(isinstance(e.value, str) for e in parsed.entries)
    assert all(u.reason for u in parsed.unsupported)


# -- normalisation ---------------------------------------------------------------------------------

NORMALISERS = [normalize.norm_domain, normalize.extract_host, normalize.norm_url, normalize.norm_ip,
               normalize.norm_ip_indicator, normalize.path_components, normalize.norm_path, normalize.basename,
               normalize.norm_process, normalize.norm_hash, normalize.norm_email, normalize.norm_folded,
               normalize.norm_exact, extract_from_text]


@FAST
@given(st.one_of(st.text(max_size=80), domain, url), st.sampled_from(NORMALISERS))
def test_normalisers_never_raise(value: str, func: object) -> None:
    func(value)  # type: ignore[operator]


@FAST
@given(st.one_of(st.text(max_size=60), domain, url))
def test_domain_normalisation_is_idempotent(value: str) -> None:
    once = normalize.norm_domain(value)
    if once is not None:
        assert normalize.norm_domain(once) == once
        assert once == once.lower() and not once.endswith(".")


@FAST
@given(domain, st.sampled_from(["", ".", "/", "/path?x=1", ":8443/a"]))
def test_host_of_a_url_is_its_domain(host: str, tail: str) -> None:
    extracted = normalize.extract_host(f"https://{host}{tail}")  # raw host, normalised by the matcher
    assert extracted is not None and normalize.norm_domain(extracted) == normalize.norm_domain(host)


@FAST
@given(st.one_of(st.text(max_size=60), st.sampled_from(["/private/var/x", "/var/x/", "a//b/../c", "0 /", "a/ /"])))
def test_path_normalisation_is_idempotent(value: str) -> None:
    once = normalize.norm_path(value)
    if once is not None:
        assert normalize.norm_path(once) == once


# -- timestamps ------------------------------------------------------------------------------------

@FAST
@given(scalars, st.sampled_from([from_unix, from_unix_ms, from_cocoa, from_webkit, from_iso]))
def test_timestamp_converters_never_raise(value: object, func: object) -> None:
    result = func(value)  # type: ignore[operator]
    assert result is None or (isinstance(result, datetime) and result.tzinfo is not None)


aware = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)).filter(
    lambda when: when not in timeutil.SENTINEL_INSTANTS)  # a stored 0 or -1 is "not set", not a time


@FAST
@given(aware)
def test_unix_and_iso_round_trips(when: datetime) -> None:
    assert abs(from_unix(when.timestamp()) - when) < timedelta(milliseconds=1)  # type: ignore[operator]
    assert abs(from_unix_ms(when.timestamp() * 1000) - when) < timedelta(milliseconds=1)  # type: ignore[operator]
    text = iso(when)
    assert text is not None and text.endswith("Z")
    assert from_iso(text) == when


@FAST
@given(aware)
def test_cocoa_and_webkit_round_trips(when: datetime) -> None:
    cocoa = (when - datetime(2001, 1, 1, tzinfo=UTC)).total_seconds()
    webkit = (when - datetime(1601, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1)
    assert abs(from_cocoa(cocoa) - when) < timedelta(milliseconds=1)  # type: ignore[operator]
    assert abs(from_webkit(webkit) - when) < timedelta(milliseconds=1)  # type: ignore[operator]
    assert not math.isnan(cocoa)


@FAST
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(min_value=-5e10, max_value=5e10),
                 st.integers(min_value=-(2**63), max_value=2**63 - 1).map(float)),
       st.sampled_from([timeutil.UNIX_EPOCH, timeutil.COCOA_EPOCH, timeutil.WEBKIT_EPOCH]))
def test_fast_conversion_equals_the_checked_one(seconds: float, epoch: datetime) -> None:
    assert timeutil._add(epoch, seconds) == timeutil._add_checked(epoch, seconds)


# -- text ------------------------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=300))
def test_decode_escapes_and_counts_bad_bytes(data: bytes) -> None:
    decoded = decode_bytes(data)
    try:
        expected = data.decode("utf-8")
    except UnicodeDecodeError:
        assert decoded.bad_bytes > 0
        assert decoded.text.encode("utf-8")  # always valid text
    else:
        assert decoded.bad_bytes == 0
        assert decoded.text == expected.replace("\x00", "\\x00")
    assert decoded.nul_bytes == data.count(b"\x00") or decoded.bad_bytes > 0


@FAST
@given(st.binary(max_size=400), st.integers(min_value=1, max_value=64))
def test_iter_lines_keeps_line_numbers_and_bounds_lines(data: bytes, limit: int) -> None:
    produced = list(iter_lines(data, limit=limit))
    assert [n for n, _, _ in produced] == list(range(1, len(data.splitlines()) + 1))
    for (_, text, bad), raw in zip(produced, data.splitlines(), strict=True):
        assert len(text) <= 4 * limit + 8  # cut before decoding; escapes at most 4 chars per byte
        if len(raw) > limit:
            assert bad >= 1


@FAST
@given(lines)
def test_dumpsys_sections_point_back_to_their_lines(text_lines: list[str]) -> None:
    data = "\n".join(text_lines).encode("utf-8", "surrogatepass")
    sections = split_dumpsys_bytes(data, "dumpsys.txt")
    original = data.splitlines()
    for section in sections.values():
        if not section.text:  # an empty section has no line of its own
            continue
        for number, line in section.lines():
            assert 1 <= number <= len(original)
            assert decode_bytes(original[number - 1]).text == line


@FAST
@given(st.text(max_size=40))
def test_archive_member_names_never_escape(name: str) -> None:
    try:
        safe = safe_name(name)
    except EvidenceError:
        return
    assert not safe.startswith("/") and ".." not in safe.split("/") and "\x00" not in safe
