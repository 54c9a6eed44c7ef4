"""Normalisation of indicator values and observed values, and extraction of URLs/hosts from text.

Every function here accepts any ``str`` and never raises; ``None`` means "nothing usable".
"""

from __future__ import annotations

import functools
import ipaddress
import re
from typing import NamedTuple

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_AUTHORITY_END = re.compile(r"[/?#\\]")
_IDNA_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_DEFAULT_PORTS = {"": ("80", "443"), "http": ("80",), "https": ("443",)}
_PRIVATE_ALIASES = ("var", "etc", "tmp")


# ---------------------------------------------------------------- domains and URLs
def _idna_label(label: str) -> str:
    if label.isascii():
        return label
    try:
        return label.encode("idna").decode("ascii")
    except UnicodeError:
        return label  # not encodable: keep the lower-cased Unicode label


_BLANK_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")  # \s on str patterns is str.isspace()


def _has_blank_or_control(host: str) -> bool:
    return _BLANK_OR_CONTROL.search(host) is not None


def _norm_domain_once(value: str) -> str | None:
    host = value.strip().lower().translate(_IDNA_DOTS).rstrip(".")
    if _has_blank_or_control(host):
        return None  # not a host name: whitespace or control characters inside
    if not host.isascii():
        host = ".".join(_idna_label(label) for label in host.split("."))
    if host.startswith("www.") and len(host) > 4:
        host = host[4:]
    return host or None


@functools.lru_cache(maxsize=1 << 14)  # pure; the same hosts come back in record after record
def norm_domain(value: str) -> str | None:
    """Lower-case, IDNA (punycode), no trailing dot, no leading ``www.``; None if empty or when the name
    holds whitespace or control characters. Idempotent: the result normalises to itself."""
    host = _norm_domain_once(value)
    for _ in range(8):  # IDNA output or a removed "www." can expose more to normalise ("www.www.x")
        if host is None:
            return None
        again = _norm_domain_once(host)
        if again == host:
            return host
        host = again
    return None


def _split_authority(value: str) -> tuple[str, str, str]:
    """``(scheme, authority, rest)`` of a URL-ish string; scheme is "" when absent."""
    text = value.strip()
    match = _SCHEME.match(text)
    scheme = ""
    if match:
        scheme = match.group(0)[:-3].lower()
        text = text[match.end() :]
    elif text.startswith("//"):
        text = text[2:]
    end = _AUTHORITY_END.search(text)
    if end is None:
        return scheme, text, ""
    return scheme, text[: end.start()], text[end.start() :]


def _host_port(authority: str) -> tuple[str, str]:
    """Host and port of an authority (userinfo dropped, IPv6 brackets removed)."""
    authority = authority.rpartition("@")[2]
    if authority.startswith("["):
        host, _, after = authority[1:].partition("]")
        return host, after[1:] if after.startswith(":") else ""
    if authority.count(":") == 1:
        host, _, port = authority.partition(":")
        return host, port
    return authority, ""  # no port, or a bare IPv6 address


def extract_host(value: str) -> str | None:
    """The host of a URL, ``host:port`` or bare host name (not normalised); None if there is none."""
    _, authority, _ = _split_authority(value)
    host = _host_port(authority)[0].strip()
    return host or None


class NormURL(NamedTuple):
    key: str  # comparison key: http, https and no scheme are treated alike
    display: str  # readable normalised URL
    host: str  # raw host (not normalised)


@functools.lru_cache(maxsize=1 << 14)  # pure; a visited URL comes back in every visit record
def norm_url(value: str) -> NormURL | None:
    """Normalise a URL for exact comparison.

    Scheme and host are lower-cased (host IDNA, no leading ``www.``, IPs canonical), userinfo and
    fragment dropped, default ports (80/443) dropped, trailing ``/`` of the path removed (so
    ``http://a.com``, ``http://a.com/`` and ``https://a.com`` are equal); path and query kept as written.
    """
    scheme, authority, rest = _split_authority(value)
    raw_host, port = _host_port(authority)
    raw_host = raw_host.strip()
    if not raw_host:
        return None
    ip = norm_ip(raw_host)
    host = norm_domain(raw_host) or ""
    if ip is not None:
        host = f"[{ip}]" if ip.version == 6 else str(ip)
    if not host:
        return None
    if port in _DEFAULT_PORTS.get(scheme, ()):
        port = ""
    rest = rest.partition("#")[0]
    path, question, query = rest.partition("?")
    path = path.rstrip("/")
    hostport = f"{host}:{port}" if port else host
    tail = path + (f"?{query}" if question and query else "")
    prefix = "" if scheme in ("", "http", "https") else f"{scheme}://"
    display = f"{scheme or 'http'}://{hostport}{path or '/'}{tail[len(path):]}"
    return NormURL(key=prefix + hostport + tail, display=display, host=raw_host)


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


# ---------------------------------------------------------------- free text
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_HOST_TAIL = rf"(?:{_LABEL}\.)+[^\W\d_]{{2,63}}"
_TEXT_URL = re.compile(r"(?i)(?<![\w.+-])(?:[a-z][a-z0-9+.-]{0,30}://|www\.)[^\s<>\"]+")
_TEXT_EMAIL = re.compile(rf"[A-Za-z0-9._%+-]{{1,64}}@{_HOST_TAIL}")
_TEXT_HOST = re.compile(rf"(?<![\w.@-]){_HOST_TAIL}(?![\w-]|\.[^\W_])")
_TEXT_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)")
_TRAILING = ".,;:!?)]}'\"»›>"


class TextItems(NamedTuple):
    urls: tuple[str, ...]
    hosts: tuple[str, ...]
    emails: tuple[str, ...]
    ips: tuple[str, ...]


def _trim_url(url: str) -> str:
    url = url.rstrip(_TRAILING)
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1].rstrip(_TRAILING)
    return url


_CACHED_TEXT = 4096  # longer texts are not kept in the cache


def extract_from_text(text: str) -> TextItems:
    """Every URL (with a scheme or ``www.``), host name, e-mail address and IPv4 address in ``text``."""
    return _extract_cached(text) if len(text) <= _CACHED_TEXT else _extract(text)


@functools.lru_cache(maxsize=64)  # a message's text is read for its links, then matched as text
def _extract_cached(text: str) -> TextItems:
    return _extract(text)


def _extract(text: str) -> TextItems:
    # cheap exits first: a host, an e-mail, an IPv4 address and a "www." URL all need a dot; other
    # URLs need "://"; an e-mail needs "@"
    has_dot = "." in text
    urls = (tuple(_trim_url(m.group(0)) for m in _TEXT_URL.finditer(text))
            if "://" in text or (has_dot and "ww." in text.lower()) else ())
    if not has_dot:
        return TextItems(urls=urls, hosts=(), emails=(), ips=())
    emails = tuple(m.group(0) for m in _TEXT_EMAIL.finditer(text)) if "@" in text else ()
    hosts = tuple(m.group(0) for m in _TEXT_HOST.finditer(text)) + tuple(e.rpartition("@")[2] for e in emails)
    ips = tuple(m.group(0) for m in _TEXT_IPV4.finditer(text))
    return TextItems(urls=urls, hosts=hosts, emails=emails, ips=ips)
