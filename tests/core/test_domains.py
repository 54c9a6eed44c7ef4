"""Registrable domains and public suffixes come from the Public Suffix List shipped with the pinned
``publicsuffixlist`` package (no hand-kept suffix rules, nothing downloaded)."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from spyscan import domains


def _official_vectors() -> list[tuple[str, str | None]]:
    """The list's own test cases (``checkPublicSuffix(input, expected)``, public domain), as shipped."""
    text = resources.files("publicsuffixlist").joinpath("test_psl.txt").read_text(encoding="utf-8")
    found = []
    for line in text.splitlines():
        match = re.fullmatch(r"checkPublicSuffix\((null|'[^']*'), (null|'[^']*')\);", line.strip())
        if match and match[1] != "null":
            found.append((match[1].strip("'"), None if match[2] == "null" else match[2].strip("'")))
    return found


def test_official_public_suffix_list_vectors() -> None:
    vectors = _official_vectors()
    assert len(vectors) > 60
    checked = 0
    for given, expected in vectors:
        if given.startswith(".") or domains.public_suffix(given.rpartition(".")[2]) is None:
            # a leading dot is not a host name; an unlisted top-level label has no public suffix for spyscan
            assert domains.registrable_domain(given) is None, given
            continue
        wanted = domains.domain_name(expected) if expected else None
        assert domains.registrable_domain(given) == wanted, given
        checked += 1
    assert checked > 50


@pytest.mark.parametrize(("host", "site"), [
    ("foxnew.com", "foxnew.com"),
    ("www.foxnews.com", "foxnews.com"),
    ("a.b.co.uk", "b.co.uk"),
    ("sheets.google.com", "google.com"),
    ("x.appspot.com", "x.appspot.com"),  # private section: each customer is its own site
    ("d1gslyvqtipqvi.cloudfront.net", "d1gslyvqtipqvi.cloudfront.net"),
    ("find-my-phone-prod.herokuapp.com", "find-my-phone-prod.herokuapp.com"),
    ("huaxin-bantian.duckdns.org", "huaxin-bantian.duckdns.org"),
    ("spytrac-app1.s3.amazonaws.com", "spytrac-app1.s3.amazonaws.com"),
    ("EXAMPLE.COM.", "example.com"),
    ("a.рф", "a.xn--p1ai"),
])
def test_registrable_domain(host: str, site: str) -> None:
    assert domains.registrable_domain(host) == site


@pytest.mark.parametrize("host", ["com", "co.uk", "appspot.com", "despachosnegocios", "amazing.lab",
                                  "peticaonline.comv", "1.2.3.4", "[2001:db8::1]", "", "a b.com"])
def test_no_registrable_domain(host: str) -> None:
    assert domains.registrable_domain(host) is None


def test_public_suffixes() -> None:
    assert domains.public_suffix("despachosnegocios") is None  # the malformed Predator indicator
    assert domains.public_suffix("x.appspot.com") == "appspot.com"
    assert domains.is_public_suffix("appspot.com") and domains.is_public_suffix("cloudfront.net")
    assert not domains.is_public_suffix("example.com")
    assert domains.psl_version().startswith("publicsuffixlist ")


def test_same_site() -> None:
    assert domains.same_site("m.youtube.com", "youtube.com")
    assert domains.same_site("sheets.google.com", "docs.google.com")
    assert not domains.same_site("foxnew.com", "foxnews.com")
    assert not domains.same_site("a.appspot.com", "b.appspot.com")
    assert not domains.same_site("1.2.3.4", "1.2.3.5")
