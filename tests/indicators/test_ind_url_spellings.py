"""Every spelling a browser resolves to an indicator's host or address matches it; spellings it resolves
elsewhere do not (issue 17). The parser's own canonical form (ada_url.URL, the WHATWG URL Standard) is the
referee: each generated spelling is first checked to reach (or not) the indicator's host in a browser's
reading, then matched."""

from __future__ import annotations

import ipaddress

import ada_url
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.model import Indicator
from spyscan.observables import Obs


def _ind(kind: str, value: str) -> Indicator:
    return Indicator(type=kind, value=value, stix_id=f"indicator--{value}", malware="M", file="t.stix2")


INDEX = IndicatorIndex.build([
    _ind("domain-name:value", "evil.example"),
    _ind("ipv4-addr:value", "192.168.1.1"),
    _ind("url:value", "https://files.example/dl/x.apk?id=7"),
])
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def matched(obs: Obs, value: str) -> set[str]:
    return {m.indicator.value for m in INDEX.match(obs, value)}


def browser_host(url: str) -> str | None:
    """Where a browser goes: the standard's host, trailing dot dropped; None if it refuses the URL."""
    try:
        return ada_url.URL(url).hostname.rstrip(".")
    except ValueError:
        return None


# ------------------------------------------------------------------ spellings generated

FULLWIDTH = {c: chr(ord(c) - 0x21 + 0xFF01) for c in "abcdefghijklmnopqrstuvwxyz0123456789"}
DOTS = [".", "\u3002", "\uff0e", "\uff61", "%2e", "%2E"]


@st.composite
def spelled_char(draw: st.DrawFn, char: str) -> str:
    if char == ".":
        return draw(st.sampled_from(DOTS))
    way = draw(st.sampled_from(["plain", "upper", "percent", "fullwidth"]))
    if way == "upper":
        return char.upper()
    if way == "percent":
        return f"%{ord(char):02{draw(st.sampled_from(['x', 'X']))}}"
    if way == "fullwidth":
        return FULLWIDTH[char].upper() if draw(st.booleans()) else FULLWIDTH[char]
    return char


@st.composite
def spelled_host(draw: st.DrawFn, host: str) -> str:
    return "".join(draw(spelled_char(c)) for c in host) + draw(st.sampled_from(["", ".", "\u3002"]))


@st.composite
def spelled_ipv4(draw: st.DrawFn, address: str) -> str:
    """One of the number forms of an IPv4 address: 1 to 4 parts, each decimal, octal or hex."""
    value = int(ipaddress.IPv4Address(address))
    count = draw(st.integers(1, 4))
    parts = [value >> (8 * (3 - i)) & 255 for i in range(count - 1)]
    parts.append(value & ((1 << (8 * (5 - count))) - 1))
    written = []
    for part in parts:
        radix = draw(st.sampled_from(["dec", "oct", "hex"]))
        zeros = "0" * draw(st.integers(0, 2))
        if radix == "dec":
            written.append(str(part))
        elif radix == "oct":
            written.append("0" + zeros + f"{part:o}")
        else:
            digits = f"{part:x}"
            written.append(draw(st.sampled_from(["0x", "0X"])) + zeros
                           + (digits.upper() if draw(st.booleans()) else digits))
    return ".".join(written) + draw(st.sampled_from(["", "."]))


@st.composite
def around(draw: st.DrawFn, host: str, path: str = "/", ports: tuple[str, ...] = ("", ":443", ":80", ":8080")) -> str:
    """A URL around ``host`` spelled as browsers accept it: scheme case and slashes, user info, port,
    backslashes, tabs and newlines anywhere, blanks around."""
    scheme = draw(st.sampled_from(["https", "http", "HTTPS", "hTtP"]))
    slashes = draw(st.sampled_from(["://", ":/", ":\\\\", ":\\", ":", ":///", ":/\\"]))
    user = draw(st.sampled_from(["", "good.example@", "user:pass@", "@", "a%40b@"]))
    port = draw(st.sampled_from(ports))
    url = f"{scheme}{slashes}{user}{host}{port}{path.replace('/', draw(st.sampled_from(['/', chr(92)])))}"
    cut = draw(st.integers(0, len(url)))
    noise = draw(st.sampled_from(["", "\t", "\n", "\r\n"]))
    return draw(st.sampled_from(["", " ", "\x00"])) + url[:cut] + noise + url[cut:]


@SETTINGS
@given(st.data())
def test_every_spelling_of_a_domain_matches(data: st.DataObject) -> None:
    url = data.draw(around(data.draw(spelled_host("evil.example"))))
    assert browser_host(url) == "evil.example", url  # the spelling does lead a browser there
    assert "evil.example" in matched(Obs.URL, url), url


@SETTINGS
@given(st.data())
def test_every_spelling_of_a_subdomain_matches(data: st.DataObject) -> None:
    host = data.draw(spelled_host("cdn.evil.example"))
    url = data.draw(around(host))
    assert browser_host(url) == "cdn.evil.example", url
    assert "evil.example" in matched(Obs.URL, url), url


@SETTINGS
@given(st.data())
def test_every_spelling_of_an_address_matches(data: st.DataObject) -> None:
    url = data.draw(around(data.draw(spelled_ipv4("192.168.1.1"))))
    assert browser_host(url) == "192.168.1.1", url
    assert "192.168.1.1" in matched(Obs.URL, url), url


@SETTINGS
@given(st.data())
def test_a_spelled_url_matches_its_url_indicator(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(["/dl/x.apk?id=7", "/dl/./x.apk?id=7", "/a/../dl/x.apk?id=7",
                                      "/dl/%78.apk?id=7", "/dl/x.apk?%69d=7", "/dl/x.apk/?id=7",
                                      "/dl/x.apk?id=7#top", "/%64l/x%2eapk?id=%37"]))
    url = data.draw(around(data.draw(spelled_host("files.example")), path, ("", ":443", ":80")))
    assert browser_host(url) == "files.example", url
    assert "https://files.example/dl/x.apk?id=7" in matched(Obs.URL, url), url


@SETTINGS
@given(st.data())
def test_spellings_found_in_free_text_match(data: st.DataObject) -> None:
    """A message holding a spelled link (no blanks inside: a blank ends a link in text)."""
    host = data.draw(spelled_host("evil.example"))
    scheme = data.draw(st.sampled_from(["https://", "http:/", "HTTPS:\\\\", "https:\\", "http:", "https:///"]))
    url = scheme + data.draw(st.sampled_from(["", "good.example@"])) + host + data.draw(
        st.sampled_from(["", "/", "/x?y=1", ":8443/x", "\\x"]))
    assert browser_host(url) == "evil.example", url
    text = data.draw(st.sampled_from(["{}", "Hola, mira {} ahora.", "({})", "link:{}\n"])).format(url)
    assert "evil.example" in matched(Obs.TEXT, text), text


@SETTINGS
@given(st.data())
def test_number_forms_in_text_links_match(data: st.DataObject) -> None:
    url = "http://" + data.draw(spelled_ipv4("192.168.1.1")) + "/x"
    assert "192.168.1.1" in matched(Obs.TEXT, f"see {url} now"), url


# ------------------------------------------------------------------ spellings that lead elsewhere

ELSEWHERE_DOMAIN = [
    "https://notevil.example/", "https://evil.example.attacker.test/", "https://evil-example.test/",
    "https://attacker.test/evil.example", "https://attacker.test/?u=evil.example", "https://attacker.test/#evil.example",
    "https://evil.example@attacker.test/", "https://evil.example:pw@attacker.test/",
    "https://evil.example%2eattacker.test/", "https://evil%2Dexample.test/", "https://xn--evil-example.test/",
    "https://evil.examplex/", "https://evil.exampl/", "https://evi.lexample/", "https://evil。example。attacker.test/",
]
ELSEWHERE_ADDRESS = [
    "http://192.168.1.10/", "http://192.168.1.1.attacker.test/", "http://3232235778/", "http://0xC0A80102/",
    "http://192.168.1.1@attacker.test/", "http://attacker.test/192.168.1.1", "http://192.168.0.257/",
    "http://0300.0250.1.2/", "http://192.168.1/", "http://[::192.168.1.2]/",
]


@pytest.mark.parametrize("url", ELSEWHERE_DOMAIN + ELSEWHERE_ADDRESS)
def test_a_browser_goes_elsewhere_and_nothing_matches(url: str) -> None:
    assert browser_host(url) not in ("evil.example", "192.168.1.1")
    host = browser_host(url) or ""
    assert not host.endswith(".evil.example")
    assert matched(Obs.URL, url) == set(), url


label = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=6).filter(
    lambda s: s[0] != "-" and s[-1] != "-")


@SETTINGS
@given(label, label, st.sampled_from(["{g}evil.example", "evil.example{g}", "evil.example.{g}", "{g}.test",
                                      "evil.{g}example", "evil{g}.example"]))
def test_glued_labels_lead_elsewhere(glue: str, other: str, shape: str) -> None:
    host = shape.format(g=glue)
    url = f"https://{host}/"
    reached = browser_host(url)
    if reached is None or reached == "evil.example" or reached.endswith(".evil.example"):
        return  # e.g. "{g}.test" with g = "evil.example" is impossible here: labels have no dot
    assert matched(Obs.URL, url) == set(), url


# ------------------------------------------------------------------ the forms named in issue 17

@pytest.mark.parametrize(("url", "indicator"), [
    ("https://%65vil.example/", "evil.example"),
    ("http://3232235777/", "192.168.1.1"),
    ("http://0xC0A80101/", "192.168.1.1"),
    ("http://0300.0250.1.1/", "192.168.1.1"),
    ("http://192.168.257/", "192.168.1.1"),
    ("http://0xc0.168.1.1/", "192.168.1.1"),
    ("https:/evil.example/", "evil.example"),
    ("https:\\\\evil.example\\", "evil.example"),
    ("https://evil.example\\path\\x", "evil.example"),
    ("ht\ttps://evil.exa\nmple/", "evil.example"),
    ("HTTPS://EVIL.EXAMPLE/", "evil.example"),
    ("https://xn--vil-9la.example/", "évil.example"),
    ("https://ÉVIL.example/", "évil.example"),
    ("https://evil\u3002example/", "evil.example"),
    ("https://evil.example./", "evil.example"),
    ("https://good.example@evil.example/", "evil.example"),
    ("https://evil.example:8443/", "evil.example"),
    ("http://[::ffff:192.168.1.1]/", "192.168.1.1"),
    ("intent://evil.example/#Intent;scheme=https;end", "evil.example"),
])
def test_named_forms(url: str, indicator: str) -> None:
    index = IndicatorIndex.build([_ind("domain-name:value", "evil.example"), _ind("ipv4-addr:value", "192.168.1.1"),
                                  _ind("domain-name:value", "évil.example")])
    assert indicator in {m.indicator.value for m in index.match(Obs.URL, url)}, url


@pytest.mark.parametrize("indicator", ["3232235777", "0xC0A80101", "192.168.257", "%31%39%32.168.1.1"])
def test_an_indicator_spelled_oddly_matches_the_canonical_address(indicator: str) -> None:
    index = IndicatorIndex.build([_ind("domain-name:value", indicator)])
    assert {m.indicator.value for m in index.match(Obs.URL, "https://192.168.1.1/")} == {indicator}
