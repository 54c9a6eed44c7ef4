"""Per-type indices over indicators: every lookup costs O(labels / path components), not O(indicators).

Semantics are those of DESIGN.md §3; see the docstrings of :mod:`spyscan.indicators.normalize`.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterable

from spyscan.indicators import normalize as n
from spyscan.indicators.model import Indicator, IndicatorMatch
from spyscan.links.text import extract_from_text
from spyscan.observables import Obs

Table = dict[str, list[Indicator]]

TRUNCATED_LENGTHS = (15, 16)  # kernel-truncated process names (iOS/macOS: 15/16, Linux comm: 15)

# Observable types compared by exact (normalised) value, with their indicator type and normaliser.
_EXACT: dict[Obs, tuple[str, Callable[[str], str | None]]] = {
    Obs.MD5: ("file:hashes.md5", n.norm_hash),
    Obs.SHA1: ("file:hashes.sha1", n.norm_hash),
    Obs.SHA256: ("file:hashes.sha256", n.norm_hash),
    Obs.CERT_MD5: ("app:cert.md5", n.norm_hash),
    Obs.CERT_SHA1: ("app:cert.sha1", n.norm_hash),
    Obs.CERT_SHA256: ("app:cert.sha256", n.norm_hash),
    Obs.EMAIL: ("email-addr:value", n.norm_email),
    Obs.APP_ID: ("app:id", n.norm_folded),
    Obs.ANDROID_PROPERTY: ("android-property:name", n.norm_exact),
    Obs.PROFILE_ID: ("configuration-profile:id", n.norm_folded),
}
_EXACT_BY_TYPE = {kind: (obs, norm) for obs, (kind, norm) in _EXACT.items()}

# The observable type through which an indicator type is naturally matched.
OBS_FOR_TYPE: dict[str, Obs] = {
    "domain-name:value": Obs.DOMAIN,
    "ipv4-addr:value": Obs.IP,
    "ipv6-addr:value": Obs.IP,
    "url:value": Obs.URL,
    "process:name": Obs.PROCESS,
    "file:name": Obs.FILE_NAME,
    "file:path": Obs.FILE_PATH,
    **{kind: obs for kind, (obs, _) in _EXACT_BY_TYPE.items()},
}


class _Matches:
    """Collects matches, one per indicator (a strong match wins over a weak one)."""

    def __init__(self) -> None:
        self.found: dict[Indicator, IndicatorMatch] = {}

    def add(self, items: Iterable[Indicator], quality: str, observed: str, weak: bool = False) -> None:
        for indicator in items:
            old = self.found.get(indicator)
            if old is None or (old.weak and not weak):
                match = IndicatorMatch(indicator=indicator, quality=quality, observed=observed, weak=weak)
                self.found[indicator] = match


# An app's package name (Android) or bundle id (iOS): reverse-DNS labels. Android names an app's processes
# after its package, with ":<name>" for the app's other processes (the manifest's android:process).
_PACKAGE = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+")


@functools.lru_cache(maxsize=1 << 14)  # pure; the same process names come back in record after record
def package_of(value: str) -> str | None:
    """The app id a process or identifier names (``com.example.spy:remote`` → ``com.example.spy``), folded,
    or None when it does not have the shape of one."""
    name = value.strip().partition(":")[0]
    return name.lower() if _PACKAGE.fullmatch(name) else None


HOST_CACHE_SIZE = 1 << 16  # distinct host names remembered per process
_URL_LIKE = re.compile(r"[/\\:@]")  # a domain observable holding one of these is a URL, host:port or address


class IndicatorIndex:
    """Lookup tables for all supported indicator types; build once with :meth:`build`."""

    def __init__(self) -> None:
        # plain dicts only, so that an index can be pickled to worker processes
        self.domains: Table = {}
        self.urls: Table = {}
        self.ips: dict[n.IPAddress, list[Indicator]] = {}
        # (ip version, prefix length) -> network address as int -> indicators
        self.networks: dict[tuple[int, int], dict[int, list[Indicator]]] = {}
        self.paths: Table = {}
        # relative indicator paths ("Library/Preferences/x.plist"): first component -> [(components, indicator)]
        self.relative_paths: dict[str, list[tuple[tuple[str, ...], Indicator]]] = {}
        self.file_names: Table = {}
        self.processes: Table = {}
        self.truncated: dict[int, Table] = {length: {} for length in TRUNCATED_LENGTHS}
        self.exact: dict[str, Table] = {kind: {} for kind in _EXACT_BY_TYPE}
        self.app_ids: Table = self.exact["app:id"]  # the same table: app-id fields and processes named after apps
        self._host_cache: dict[str, tuple[n.Host | None, tuple[tuple[list[Indicator], int], ...]]] = {}
        self.skipped: list[Indicator] = []  # values that cannot be normalised (e.g. an invalid IP)
        self.size = 0

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, indicators: Iterable[Indicator]) -> IndicatorIndex:
        index = cls()
        for indicator in indicators:
            if index._add(indicator):
                index.size += 1
            else:
                index.skipped.append(indicator)
        return index

    def _add(self, ind: Indicator) -> bool:
        kind, value = ind.type, ind.value
        if kind == "domain-name:value":
            if "/" in value or "?" in value:
                url = n.norm_url(value)
                if url is not None and (url.path or url.query):  # a URL written as a domain: never its host
                    return self._put(self.urls, url.key, ind)
            host = n.norm_host(n.extract_host(value) or "" if "/" in value or ":" in value else value)
            if host is not None and host.ip is not None:  # some feeds list IP addresses as domain names
                return self._add_ip(ind, host.name)
            return self._put(self.domains, host.name if host is not None else None, ind)
        if kind == "url:value":
            url = n.norm_url(value)
            return self._put(self.urls, url.key if url else None, ind)
        if kind in ("ipv4-addr:value", "ipv6-addr:value"):
            return self._add_ip(ind)
        if kind == "file:path":
            return self._add_path(ind)
        if kind == "file:name":
            if "/" in value.strip().strip("/"):  # a path given as a file name: matched as the path it is
                return self._add_path(ind)
            return self._put(self.file_names, n.basename(value), ind)
        if kind == "process:name":
            return self._add_process(ind)
        if kind in self.exact:
            return self._put(self.exact[kind], _EXACT_BY_TYPE[kind][1](value), ind)
        return False

    @staticmethod
    def _put(table: Table, key: str | None, ind: Indicator) -> bool:
        if not key:
            return False
        table.setdefault(key, []).append(ind)
        return True

    def _add_ip(self, ind: Indicator, value: str | None = None) -> bool:
        ip = n.norm_ip_indicator(ind.value if value is None else value)
        if ip is None:
            return False
        if isinstance(ip, ipaddress.IPv4Network | ipaddress.IPv6Network):
            table = self.networks.setdefault((ip.version, ip.prefixlen), {})
            table.setdefault(int(ip.network_address), []).append(ind)
        else:
            self.ips.setdefault(ip, []).append(ind)
        return True

    def _add_path(self, ind: Indicator) -> bool:
        if not ind.value.strip().startswith("/"):
            return self._add_relative_path(ind)
        return self._put(self.paths, n.norm_path(ind.value), ind)

    def _add_relative_path(self, ind: Indicator) -> bool:
        """A relative path names a location inside some home or container: it matches wherever its
        components appear in a row in an observed path (and below it), component-aware."""
        parts = tuple(n.path_components(ind.value))
        if not parts:
            return False
        self.relative_paths.setdefault(parts[0], []).append((parts, ind))
        return True

    def _add_process(self, ind: Indicator) -> bool:
        name = n.norm_process(ind.value)
        if not self._put(self.processes, name, ind):
            return False
        assert name is not None
        for length in TRUNCATED_LENGTHS:
            if len(name) > length:
                self.truncated[length].setdefault(name[:length], []).append(ind)
        return True

    # ------------------------------------------------------------------ matching
    def match(self, obs: Obs, value: str) -> list[IndicatorMatch]:
        """All indicators matching an observed value of type ``obs`` (deduplicated; [] when none)."""
        found = _Matches()
        if not isinstance(value, str) or not value:
            return []
        if obs in _EXACT:
            kind, norm = _EXACT[obs]
            key = norm(value)
            if key:
                found.add(self.exact[kind].get(key, ()), "exact", key)
            if obs is Obs.APP_ID and key and (":" in key or "." not in key):
                self._match_identifier(found, value, key)
            if obs is Obs.EMAIL and key:
                self._match_host(found, key.rpartition("@")[2], from_url=False)
        elif obs is Obs.DOMAIN:  # a bare host name is looked up as it is (cached); anything else is parsed
            if _URL_LIKE.search(value) is None:
                self._match_host(found, value, from_url=False)
            elif "/" in value and self.urls:  # a URL in a host field: matched as the URL it is, and by its host
                self._match_url(found, value)
            else:
                self._match_host(found, n.extract_host(value) or "", from_url=False)
        elif obs is Obs.URL:
            self._match_url(found, value)
        elif obs is Obs.TEXT:
            self._match_text(found, value)
        elif obs is Obs.IP:
            self._match_ip(found, value)
        elif obs is Obs.FILE_PATH:
            self._match_path(found, value)
        elif obs is Obs.FILE_NAME:
            name = n.basename(value)
            if name:
                found.add(self.file_names.get(name, ()), "exact", name)
        elif obs is Obs.PROCESS:
            self._match_process(found, value)
        return list(found.found.values())

    def _match_host(self, found: _Matches, host: str, *, from_url: bool) -> None:
        normal, hits = self._host_hits(host)
        if normal is None:
            return
        if normal.ip is not None:
            self._match_address(found, normal.ip)
            return
        for indicators, depth in hits:
            quality = "subdomain" if depth else ("url-host" if from_url else "exact")
            found.add(indicators, quality, normal.name)

    def _host_hits(self, host: str) -> tuple[n.Host | None, tuple[tuple[list[Indicator], int], ...]]:
        """The host as a browser reads it (``norm_host``) and the domain indicators it falls under (with the
        label depth), cached: the same hosts come back in record after record."""
        cached = self._host_cache.get(host)
        if cached is not None:
            return cached
        normal = n.norm_host(host)
        hits: list[tuple[list[Indicator], int]] = []
        if normal is not None and normal.ip is None and self.domains:
            labels = normal.name.split(".")
            for i in range(len(labels)):
                if i and i == len(labels) - 1:
                    break  # a bare top-level label never matches as a parent domain
                found = self.domains.get(".".join(labels[i:]))
                if found:
                    hits.append((found, i))
        result = (normal, tuple(hits))
        if len(self._host_cache) >= HOST_CACHE_SIZE:
            self._host_cache.clear()
        self._host_cache[host] = result
        return result

    def _match_url(self, found: _Matches, value: str, seen_hosts: set[str] | None = None) -> None:
        url = n.norm_url(value)
        if url is None:
            if value[:7].lower() == "mailto:":  # a link to write to an address: matched as the address
                self._match_email(found, value)
            return
        exact = self.urls.get(url.key)
        if exact:
            found.add(exact, "exact", url.display)
        if seen_hosts is not None:
            if url.host.name in seen_hosts:
                return
            seen_hosts.add(url.host.name)
        self._match_host(found, url.host.name, from_url=True)

    def _match_email(self, found: _Matches, value: str) -> None:
        key = n.norm_email(value)
        if key:
            found.add(self.exact["email-addr:value"].get(key, ()), "exact", key)
            self._match_host(found, key.rpartition("@")[2], from_url=False)

    def _match_text(self, found: _Matches, text: str) -> None:
        items = extract_from_text(text)
        seen_hosts: set[str] = set()  # a host inside a URL is also found as a bare host: look it up once
        for url in items.urls:
            self._match_url(found, url, seen_hosts)
        for host in items.hosts:
            if host not in seen_hosts:
                seen_hosts.add(host)
                self._match_host(found, host, from_url=False)
        for email in items.emails:
            key = n.norm_email(email)
            if key:
                found.add(self.exact["email-addr:value"].get(key, ()), "exact", key)
        for ip in items.ips:
            self._match_ip(found, ip)

    def _match_ip(self, found: _Matches, value: str) -> None:
        ip = n.norm_ip(value)
        if ip is None and (":" in value or "/" in value):  # "1.2.3.4:443", "http://[::1]/"
            host = n.extract_host(value)
            ip = n.norm_ip(host) if host and host != value.strip() else None
        if ip is not None:
            self._match_address(found, ip)

    def _match_address(self, found: _Matches, ip: n.IPAddress) -> None:
        observed = str(ip)
        found.add(self.ips.get(ip, ()), "exact", observed)
        as_int = int(ip)
        width = 32 if ip.version == 4 else 128
        for (version, prefix), table in self.networks.items():
            if version == ip.version:
                masked = as_int >> (width - prefix) << (width - prefix)
                found.add(table.get(masked, ()), "cidr", observed)

    def _match_path(self, found: _Matches, value: str) -> None:
        parts = n.path_components(value)
        if not parts:
            return
        full = "/" + "/".join(parts)
        if self.paths:
            prefix = ""
            for i, part in enumerate(parts):
                prefix += "/" + part
                hits = self.paths.get(prefix)
                if hits:
                    found.add(hits, "exact" if i == len(parts) - 1 else "prefix", full)
        if self.relative_paths:
            for start, part in enumerate(parts):
                for wanted, ind in self.relative_paths.get(part, ()):
                    end = start + len(wanted)
                    if tuple(parts[start:end]) == wanted:
                        found.add((ind,), "exact" if end == len(parts) else "prefix", full)
        found.add(self.file_names.get(parts[-1], ()), "exact", parts[-1])

    def _match_process(self, found: _Matches, value: str) -> None:
        name = n.norm_process(value)
        if not name:
            return
        found.add(self.processes.get(name, ()), "exact", name)
        if len(name) in self.truncated:
            found.add(self.truncated[len(name)].get(name, ()), "truncated", name, weak=True)
        if "." in name:  # a process named after its app: the app id, exactly
            package = package_of(name)
            if package is not None:
                hits = self.app_ids.get(package)
                if hits:
                    found.add(hits, "exact" if package == name.lower() else "app-process", package)

    def _match_identifier(self, found: _Matches, value: str, key: str) -> None:
        """An app-id field can hold a process name: an app's process (``com.example.spy:remote``) is matched
        as its app id, and an identifier that is not reverse-DNS (a daemon registered by name in TCC) is
        also matched whole against process names (never by prefix)."""
        if ":" in key and self.app_ids:
            package = package_of(key)
            if package is not None and package != key:
                found.add(self.app_ids.get(package, ()), "app-process", package)
        if "." not in key and self.processes:
            name = n.norm_process(value)
            if name and "/" not in value:
                found.add(self.processes.get(name, ()), "exact", name)


