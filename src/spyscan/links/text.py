"""URLs, host names, e-mail addresses and IPv4 addresses found in free text (messages, notes, shortcut
actions). What is found is returned as written; ``spyscan.links.whatwg`` reads it as a browser would.

A URL starts with a scheme and ``://``, with ``www.``, or with a web scheme followed by any number of
``/`` or ``\\`` (``https:/evil.com``, ``https:\\\\evil.com``, ``http:evil.com``: browsers go to ``evil.com``
for each, see the URL Standard's "special authority ignore slashes state"). Host names are separated by
dots, including the ideographic and fullwidth dots that IDNA maps to ``.``.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

_DOT = "[.\u3002\uff0e\uff61]"  # the dots of UTS #46 (IDNA) mapping
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_HOST_TAIL = rf"(?:{_LABEL}{_DOT})+[^\W\d_]{{2,63}}"
_WEB_SCHEMES = r"https?|wss?|ftp"  # the URL Standard's special schemes that name a host (not file)
# a URL in text, as written (trailing punctuation included: ``trim_url`` removes it)
URL_PATTERN = (rf"(?<![\w.+-])(?i:[a-z][a-z0-9+.-]{{0,30}}://|(?:{_WEB_SCHEMES}):[/\\]*(?=[^\s/\\<>\"])|www\.)"
               r"[^\s<>\"]+")
_TEXT_URL = re.compile(URL_PATTERN)
_TEXT_EMAIL = re.compile(rf"[A-Za-z0-9._%+-]{{1,64}}@{_HOST_TAIL}")
_TEXT_HOST = re.compile(rf"(?<![\w.@-]){_HOST_TAIL}(?![\w-]|{_DOT}[^\W_])")
_TEXT_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)")
_TRAILING = ".,;:!?)]}'\"»›>"
_WIDE_DOTS = ("\u3002", "\uff0e", "\uff61")


class TextItems(NamedTuple):
    urls: tuple[str, ...]
    hosts: tuple[str, ...]
    emails: tuple[str, ...]
    ips: tuple[str, ...]


def trim_url(url: str) -> str:
    """A URL found in text without the punctuation that ends the sentence around it."""
    url = url.rstrip(_TRAILING)
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1].rstrip(_TRAILING)
    return url


_CACHED_TEXT = 4096  # longer texts are not kept in the cache


def extract_from_text(text: str) -> TextItems:
    """Every URL, host name, e-mail address and IPv4 address in ``text``, as written."""
    return _extract_cached(text) if len(text) <= _CACHED_TEXT else _extract(text)


@functools.lru_cache(maxsize=64)  # a message's text is read for its links, then matched as text
def _extract_cached(text: str) -> TextItems:
    return _extract(text)


def _has_dot(text: str) -> bool:
    return "." in text or (not text.isascii() and any(dot in text for dot in _WIDE_DOTS))


def _extract(text: str) -> TextItems:
    # cheap exits first: a host, an e-mail, an IPv4 address and a "www." URL all need a dot; other
    # URLs need ":"; an e-mail needs "@"
    has_dot = _has_dot(text)
    urls = (tuple(trim_url(m.group(0)) for m in _TEXT_URL.finditer(text))
            if ":" in text or (has_dot and "ww." in text.lower()) else ())
    if not has_dot:
        return TextItems(urls=urls, hosts=(), emails=(), ips=())
    emails = tuple(m.group(0) for m in _TEXT_EMAIL.finditer(text)) if "@" in text else ()
    hosts = tuple(m.group(0) for m in _TEXT_HOST.finditer(text)) + tuple(e.rpartition("@")[2] for e in emails)
    ips = tuple(m.group(0) for m in _TEXT_IPV4.finditer(text))
    return TextItems(urls=urls, hosts=hosts, emails=emails, ips=ips)


def links_in(*texts: str | None) -> list[str]:
    """Every URL found in ``texts``, in order, without duplicates.

    No cap: a message padded with hundreds of decoy links must not hide the one that matters (the text
    itself is bounded by the evidence layer's line and value limits)."""
    seen: dict[str, None] = {}
    for item in texts:
        if not item:
            continue
        for url in extract_from_text(item).urls:
            seen.setdefault(url, None)
    return list(seen)
