"""Normalisation of indicator values and observed values.

Every function here accepts any ``str`` and never raises; ``None`` means "nothing usable". URLs and hosts
in free text are found by ``spyscan.links.text``.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from typing import NamedTuple

from spyscan.links.whatwg import HOST_DOMAIN, parse_host, parse_url

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_PRIVATE_ALIASES = ("var", "etc", "tmp")


# ---------------------------------------------------------------- hosts and URLs
# Hosts and URLs are read as a browser reads them (WHATWG URL Standard, ``spyscan.links.whatwg``); what is
# left here is matching policy: a trailing dot and a leading "www." do not make another site, http and
# https are alike, and percent-escapes of unreserved characters are decoded (RFC 3986 §6.2.2).

_BLANK_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")  # \s on str patterns is str.isspace()


class Host(NamedTuple):
    """A normalised host: a domain name (lower-case, punycode, no trailing dot, no leading ``www.``) or an
    IP address (``name`` is then its text)."""

    name: str
    ip: IPAddress | None


@functools.lru_cache(maxsize=1 << 14)  # pure; the same hosts come back in record after record
def norm_host(value: str) -> Host | None:
    """The host a browser would reach for a bare host written ``value`` (percent-escapes, case, fullwidth
    characters, IDNA, IPv4 as one number or in hex/octal/short forms), or None when a browser would
    refuse it or it holds whitespace or control characters."""
    text = value.strip()
    if not text:
        return None
    ip = norm_ip(text)  # also a bare IPv6 address, which is not a URL host without its brackets
    if ip is not None:
        return Host(str(ip), ip)
    if _BLANK_OR_CONTROL.search(text) is not None:
        return None  # not a host name: whitespace or control characters inside
    parsed = parse_host(text)
    if parsed is None:
        return None
    if parsed.kind != HOST_DOMAIN:
        ip = norm_ip(parsed.name)
        return Host(str(ip), ip) if ip is not None else None
    name = parsed.name.rstrip(".")
    while name.startswith("www.") and len(name) > 4:
        name = name[4:]
    if name != parsed.name:  # "0.." is the host "0." for a browser, but "0" would be 0.0.0.0
        again = parse_host(name)
        if again is None or again.kind != HOST_DOMAIN:
            return None
    return Host(name, None) if name else None


def norm_domain(value: str) -> str | None:
    """``norm_host(value).name``: a domain lower-cased, IDNA (punycode), without trailing dot or leading
    ``www.`` (an IP address as its canonical text); None if a browser would not resolve it. Idempotent."""
    host = norm_host(value)
    return host.name if host is not None else None


def extract_host(value: str) -> str | None:
    """The host of a URL, ``host:port``, bare host or e-mail address, in the URL Standard's canonical form
    (``evil.com``, ``192.168.1.1``, ``[2001:db8::1]``); None if there is none."""
    text = value.strip()
    if not text:
        return None
    if norm_ip(text) is not None:  # a bare IPv6 address: its colons are not a port
        return text
    url = parse_url(text)
    if url is not None and url.host:
        return url.host
    if "@" in text:  # "mailto:user@evil.example", or an address
        return extract_host(text.rpartition("@")[2])
    return None


class NormURL(NamedTuple):
    key: str  # comparison key: http, https and no scheme are treated alike
    host: Host  # the normalised host
    scheme: str
    hostport: str  # the normalised host, and the port when it is not a default one
    path: str  # without a trailing "/"
    query: str  # "?..." or ""

    @property
    def display(self) -> str:
        """The readable normalised URL (only needed when it matched: not computed before)."""
        return f"{self.scheme}://{self.hostport}{self.path or '/'}{self.query}"


_ALIKE_SCHEMES = ("http", "https")
_ALIKE_PORTS = ("80", "443")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _percent_one(match: re.Match[str]) -> str:
    char = chr(int(match.group(0)[1:], 16))
    return char if char in _UNRESERVED else match.group(0).upper()


def _percent_normal(text: str) -> str:
    """RFC 3986 §6.2.2: escapes of unreserved characters decoded, the others in upper-case hex."""
    return _PERCENT.sub(_percent_one, text) if "%" in text else text


@functools.lru_cache(maxsize=1 << 14)  # pure; a visited URL comes back in every visit record
def norm_url(value: str) -> NormURL | None:
    """Normalise a URL for exact comparison.

    Parsed as a browser parses it (``spyscan.links.whatwg``); then the host normalised (``norm_host``),
    user info and fragment dropped, ports 80 and 443 dropped for http and https (which compare alike),
    the trailing ``/`` of the path removed (so ``http://a.com``, ``http://a.com/`` and ``https://a.com`` are
    equal) and escapes of unreserved characters decoded; path and query are otherwise as the standard
    serialises them (case kept).
    """
    url = parse_url(value)
    if url is None or not url.host:
        return None
    host = norm_host(url.host)
    if host is None:
        return None
    name = f"[{host.ip}]" if host.ip is not None and host.ip.version == 6 else host.name
    scheme = url.scheme
    alike = scheme in _ALIKE_SCHEMES
    port = "" if alike and url.port in _ALIKE_PORTS else url.port
    hostport = f"{name}:{port}" if port else name
    path = _percent_normal(url.path).rstrip("/")
    query = "?" + _percent_normal(url.query) if url.query else ""
    key = hostport + path + query if alike else f"{scheme}://{hostport}{path}{query}"
    return NormURL(key, host, scheme, hostport, path, query)


# ---------------------------------------------------------------- IP addresses
def norm_ip(value: str) -> IPAddress | None:
    """A canonical IP address (IPv4-mapped IPv6 → IPv4), or None if ``value`` is not one."""
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    text = text.partition("%")[0]  # IPv6 zone id
    if not text or len(text) > 64:
        return None
    if ":" not in text and not text[0].isdigit():
        return None  # cheap exit for host names: IPv4 starts with a digit, IPv6 has a colon
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def norm_ip_indicator(value: str) -> IPAddress | IPNetwork | None:
    """An indicator IP value: a single address, or a network when given in CIDR form."""
    text = value.strip()
    if "/" not in text:
        return norm_ip(text)
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    if network.num_addresses == 1:
        return norm_ip(str(network.network_address))
    return network


# ---------------------------------------------------------------- paths, names, processes
def path_components(value: str) -> list[str]:
    """Components of a device path; dump-relative and absolute alike; ``/private/var`` → ``/var``."""
    parts = [p for p in value.strip().split("/") if p and p != "."]
    if parts:  # whitespace around the whole path goes, also before a trailing slash ("a /"): idempotent
        parts[0], parts[-1] = parts[0].lstrip(), parts[-1].rstrip()
        parts = [p for p in parts if p and p != "."]
    if len(parts) > 1 and parts[0] == "private" and parts[1] in _PRIVATE_ALIASES:
        parts = parts[1:]
    return parts


def norm_path(value: str) -> str | None:
    parts = path_components(value)
    return "/" + "/".join(parts) if parts else None


def basename(value: str) -> str | None:
    name = value.strip().rstrip("/").rpartition("/")[2].strip()
    return name or None


def norm_process(value: str) -> str | None:
    return basename(value.replace("\x00", ""))


# ---------------------------------------------------------------- exact values
_HASH_JUNK = re.compile(r"[\s:]+")


def norm_hash(value: str) -> str | None:
    """Hex digest: separators (``:``, whitespace) removed, lower-cased."""
    return _HASH_JUNK.sub("", value).lower() or None


def norm_email(value: str) -> str | None:
    text = value.strip().lower()
    if text.startswith("mailto:"):
        text = text[7:]
    return text.partition("?")[0].strip() or None


def norm_folded(value: str) -> str | None:
    """Trimmed, lower-cased (app ids, configuration profile ids)."""
    return value.strip().lower() or None


def norm_exact(value: str) -> str | None:
    """Trimmed, case kept (Android property names)."""
    return value.strip() or None
