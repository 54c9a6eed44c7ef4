"""URLs and hosts parsed as browsers parse them: the WHATWG URL Standard (https://url.spec.whatwg.org/),
implemented by the Ada parser (``ada-url`` on PyPI, Apache-2.0; Ada itself is Apache-2.0 or MIT).

A browser given ``https:\\\\%65vil.com.`` or ``http://0xC0A80101/`` goes to ``evil.com`` or ``192.168.1.1``:
the standard's URL parser percent-decodes the host, maps it with UTS #46 (case, fullwidth characters and
dots, IDNA to punycode), reads IPv4 addresses written as one number, in hex or octal or with fewer
parts, drops tabs and newlines, accepts ``\\`` for ``/`` and any number of slashes after a special
scheme, and takes the host after the last ``@``. ``parse_url`` gives that canonical form, so that
matching compares what the browser would have reached, never how it was spelled.

Input without a scheme (``evil.com/x``, ``//evil.com``, ``evil.com:8080``) is read as a browser's address
bar reads it: as ``http://``. A single leading ``/`` is a path, not a host. Every function accepts any
``str`` and never raises; ``None`` means "not a URL / host a browser would resolve".
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

# The package's documented API (``ada_url.parse_url``) makes one C call per component (2.6 µs per URL
# here); the components' offsets into the serialised URL come in one call (1.3 µs). URLs are on the
# hot path of every check, so the pinned version's C binding is used directly; tests/links compare the
# two on generated URLs, so a change of the binding cannot go unnoticed.
from ada_url._ada_wrapper import ffi, lib

_unpack = ffi.unpack

HOST_DOMAIN, HOST_IPV4, HOST_IPV6 = 0, 1, 2  # Ada's host types
_NOT_SPECIAL = 1  # Ada's scheme type of schemes other than http(s), ws(s), ftp and file
_OMITTED = 0xFFFFFFFF

# the URL parser strips leading and trailing C0 controls and spaces, and removes tabs and newlines
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_USUAL_STARTS = ("https://", "http://")
_SPECIAL = frozenset(("http", "https", "ws", "wss", "ftp", "file"))  # the standard's special schemes
_PORT_NOT_SCHEME = re.compile(r"\d+(?:[/?#\\]|$)")  # "evil.com:8080/x": a host and port, not a scheme
# characters that end or split a host in a URL: a bare host holding one is not a host
_NOT_IN_HOST = re.compile(r"[\x00-\x20/\\?#@:\x7f]")
_BRACKETED_IPV6 = re.compile(r"\[[0-9A-Fa-f:.]+\]")
MAX_URL = 1 << 16  # longer values are not links (and are not worth parsing)


class WebURL(NamedTuple):
    """A URL in the standard's canonical form (``href`` is its serialisation)."""

    scheme: str  # lower-case, without ":"
    host: str  # canonical host: "evil.com" (a trailing dot kept), "192.168.1.1", "[2001:db8::1]"; "" if none
    host_kind: int  # HOST_DOMAIN, HOST_IPV4 or HOST_IPV6
    port: str  # "" when absent or the scheme's default
    path: str
    query: str | None  # without "?"; None when there is no "?"
    fragment: str | None  # without "#"
    userinfo: bool  # a user name or password was given ("https://good.com@evil.com/")
    href: str


class WebHost(NamedTuple):
    name: str  # as in WebURL.host
    kind: int


def _parse(data: bytes) -> WebURL | None:
    """One URL as the standard parses it, or None when the standard refuses it. The components are
    offsets into the serialised URL (``href``, always ASCII), read in one call."""
    url = lib.ada_parse(data, len(data))
    try:
        if not lib.ada_is_valid(url):
            return None
        serialised = lib.ada_get_href(url)
        href = _unpack(serialised.data, serialised.length).decode("ascii", "replace")
        parts = lib.ada_get_components(url)
        host_start, host_end, port = parts.host_start, parts.host_end, parts.port
        query_start, hash_start, path_start = parts.search_start, parts.hash_start, parts.pathname_start
        scheme = href[:parts.protocol_end - 1]
        kind = lib.ada_get_host_type(url)
        opaque = lib.ada_get_scheme_type(url) == _NOT_SPECIAL
    finally:
        lib.ada_free(url)
    userinfo = host_end > host_start and href[host_start] == "@"
    host = href[host_start + 1:host_end] if userinfo else href[host_start:host_end]
    if host and opaque:  # an opaque host ("intent://evil.com/"): read as a browser reads a host
        canonical = parse_host(host)
        host, kind = canonical if canonical is not None else ("", HOST_DOMAIN)
    end = len(href)
    fragment = None
    if hash_start != _OMITTED:
        fragment, end = href[hash_start + 1:], hash_start
    query = None
    if query_start != _OMITTED:
        query, end = href[query_start + 1:end], query_start
    return WebURL(scheme, host, kind, "" if port == _OMITTED else str(port), href[path_start:end], query,
                  fragment, userinfo, href)


def _with_scheme(text: str) -> str | None:
    """``text`` as the URL parser should see it: with a scheme (``http:`` added when it has none)."""
    if text.startswith(_USUAL_STARTS):
        return text  # the usual case; the parser itself drops blanks, tabs and newlines
    cleaned = text.strip(_C0_OR_SPACE)
    if "\t" in cleaned or "\n" in cleaned or "\r" in cleaned:
        cleaned = cleaned.translate(_TAB_OR_NEWLINE)
    match = _SCHEME.match(cleaned)
    if match is not None and (match.group(0)[:-1].lower() in _SPECIAL
                              or _PORT_NOT_SCHEME.match(cleaned, match.end()) is None):
        return cleaned
    if cleaned[:1] in ("/", "\\"):
        return "http:" + cleaned if cleaned[1:2] in ("/", "\\") else None  # "//host", else a path
    return "http://" + cleaned if cleaned else None


# An ordinary URL, which the standard leaves as it is written (tested against the parser itself):
# http(s), a lower-case ASCII host whose last label starts with a letter (so it is no IPv4 number) and
# that has no punycode label (the parser checks those), no user info or port, a path without "." or "%2e"
# segments ("/./", "/../") and without characters the parser percent-encodes, no fragment.
_ORDINARY = re.compile(r"(https?)://((?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*)(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?"
                       r"(?:\?([A-Za-z0-9._~!$&()*+,;=:@%/?-]*))?")


def _ordinary(value: str) -> WebURL | None:
    """The parse of an ordinary URL without calling the parser, or None when ``value`` is not one."""
    match = _ORDINARY.fullmatch(value)
    if match is None:
        return None
    scheme, host, path, query = match.groups()
    if "xn--" in host or (path and ("/." in path or "%2e" in path or "%2E" in path)):
        return None
    path = path or "/"
    href = f"{scheme}://{host}{path}" if query is None else f"{scheme}://{host}{path}?{query}"
    return WebURL(scheme, host, HOST_DOMAIN, "", path, query, None, False, href)


def parse_url(value: str) -> WebURL | None:
    """``value`` parsed as a browser parses it (see the module's docstring), or None if it cannot be."""
    if len(value) > MAX_URL:
        return None
    if value.startswith("http"):
        ordinary = _ordinary(value)
        if ordinary is not None:
            return ordinary
    text = _with_scheme(value)
    if text is None:
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: not text a browser could be given
        return None
    return _parse(data)


@functools.lru_cache(maxsize=1 << 14)  # pure; the same hosts come back in record after record
def parse_host(value: str) -> WebHost | None:
    """A bare host (no scheme, port, user or path) as the standard's host parser reads it after a special
    scheme: percent-decoded, UTS #46-mapped, punycode, IPv4 in any of its number forms; None if refused."""
    if not value or len(value) > MAX_URL:
        return None
    if _BRACKETED_IPV6.fullmatch(value) is None and _NOT_IN_HOST.search(value) is not None:
        return None
    try:
        data = f"http://{value}/".encode()
    except UnicodeEncodeError:
        return None
    parsed = _parse(data)
    if parsed is None or parsed.port or parsed.userinfo or parsed.path != "/":
        return None
    return WebHost(parsed.host, parsed.host_kind)
