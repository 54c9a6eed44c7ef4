"""Links, hosts, e-mail and IPv4 addresses found in free text (``spyscan.links.text``)."""

from __future__ import annotations

import pytest

from spyscan.links.text import extract_from_text, links_in


@pytest.mark.parametrize(("text", "url"), [
    ("mira https:/evil.example/x ahora", "https:/evil.example/x"),
    ("mira https:\\\\evil.example\\x ahora", "https:\\\\evil.example\\x"),
    ("mira https:\\evil.example ahora", "https:\\evil.example"),
    ("mira http:evil.example.", "http:evil.example"),
    ("(HTTPS:///evil.example/a)", "HTTPS:///evil.example/a"),
    ("ftp:/files.example/x", "ftp:/files.example/x"),
    ("see https://%65vil.example/", "https://%65vil.example/"),
    ("see http://3232235777/x, now", "http://3232235777/x"),
    ("see https://good.example@evil.example/", "https://good.example@evil.example/"),
    ("intent://evil.example/#Intent;end", "intent://evil.example/#Intent;end"),
    ("VISIT WWW.EVIL.EXAMPLE TODAY", "WWW.EVIL.EXAMPLE"),
])
def test_links_spelled_as_browsers_accept_them_are_found(text: str, url: str) -> None:
    assert extract_from_text(text).urls == (url,)


@pytest.mark.parametrize("text", ["Nota: http: ver abajo", "a las 10:30 en casa", "ratio 3:1", "mailto:a@b.example",
                                  "xhttps:/evil.example", "no dots, no links here @all"])
def test_no_link(text: str) -> None:
    assert extract_from_text(text).urls == ()


def test_bare_hosts_as_before_and_with_wide_dots() -> None:
    items = extract_from_text("(see https://a.example/x).  Mail b@c.example or d.example, 10.0.0.1.")
    assert items.urls == ("https://a.example/x",)
    assert items.emails == ("b@c.example",)
    assert set(items.hosts) >= {"a.example", "c.example", "d.example"}
    assert items.ips == ("10.0.0.1",)
    assert extract_from_text("visita evil\u3002example hoy").hosts == ("evil\u3002example",)
    assert extract_from_text("visita evil\uff0eexample\uff61 hoy").hosts == ("evil\uff0eexample",)


def test_cheap_exits_lose_nothing() -> None:
    assert extract_from_text("see http://localhost:8080/x now").urls == ("http://localhost:8080/x",)
    items = extract_from_text("write to a@b.evil.com or 10.0.0.1")
    assert items.emails == ("a@b.evil.com",) and items.ips == ("10.0.0.1",) and "b.evil.com" in items.hosts
    assert extract_from_text("host.evil.com without at-sign").emails == ()


def test_links_in_keeps_order_without_duplicates_and_never_drops_one() -> None:
    assert links_in("a https:/x.example b http://y.example", None, "", "https:/x.example") == [
        "https:/x.example", "http://y.example"]
    many = " ".join(f"https://h{i}.example/" for i in range(250))
    assert len(links_in(many)) == 250  # decoys never push a link out
