"""Public suffixes and registrable domains, from the Public Suffix List (https://publicsuffix.org/).

The list is read from the snapshot shipped inside the pinned ``publicsuffixlist`` package (MPL-2.0, like the
list itself); nothing is ever downloaded at run time, so two runs of one spyscan version agree. A newer list
comes with a newer pin of the package. Both sections of the list count: the ICANN one (``com``, ``co.uk``)
and the private one, where a hosting company declares that the names under its domain belong to unrelated
customers (``appspot.com``, ``cloudfront.net``, ``herokuapp.com``, ``duckdns.org``...): two such customers
are two sites, as they are for a browser.

Neutral: parsers (the Safari redirect rule, artifacts) and the indicator loader both use it; it imports
neither. Every function accepts any ``str`` and never raises.
"""

from __future__ import annotations

import fnmatch
import functools
from importlib import metadata, resources

from publicsuffixlist import PublicSuffixList

from spyscan.links.whatwg import HOST_DOMAIN, parse_host

PSL_PACKAGE = "publicsuffixlist"


@functools.cache
def _list() -> PublicSuffixList:
    # accept_unknown=False: a name under a top-level label the list does not know has no public suffix
    # (``despachosnegocios``, ``amazing.lab``); the library would otherwise take any last label as one.
    return PublicSuffixList(accept_unknown=False)


def psl_version() -> str:
    """The version of the shipped list (the package's version ends with the list's date)."""
    try:
        return f"{PSL_PACKAGE} {metadata.version(PSL_PACKAGE)}"
    except metadata.PackageNotFoundError:  # pragma: no cover - the package is a dependency
        return PSL_PACKAGE


@functools.lru_cache(maxsize=1 << 14)
def domain_name(value: str) -> str | None:
    """``value`` as a browser reads a host name: lower-case, punycode (IDNA), without a trailing dot; None
    for an IP address, an empty value or anything a browser would refuse as a host."""
    parsed = parse_host(value.strip())
    if parsed is None or parsed.kind != HOST_DOMAIN:
        return None
    name = parsed.name.rstrip(".")
    return name or None


@functools.lru_cache(maxsize=1 << 14)
def public_suffix(host: str) -> str | None:
    """The longest public suffix that ``host`` ends with (``co.uk`` for ``a.b.co.uk``, ``appspot.com`` for
    ``x.appspot.com``), or None when it ends with none the list knows (or is not a domain name)."""
    name = domain_name(host)
    if name is None:
        return None
    suffix: str | None = _list().publicsuffix(name)
    return suffix


@functools.lru_cache(maxsize=1 << 14)
def registrable_domain(host: str) -> str | None:
    """The registrable domain ("eTLD+1", the site) of ``host``: ``b.co.uk`` for ``a.b.co.uk``,
    ``x.appspot.com`` for ``y.x.appspot.com``; None for an IP address, a public suffix itself and a name
    without a known public suffix."""
    name = domain_name(host)
    if name is None:
        return None
    found: str | None = _list().privatesuffix(name)
    return found


def is_public_suffix(host: str) -> bool:
    """True when ``host`` is itself a public suffix (``com``, ``co.uk``, ``appspot.com``): a name shared by
    every site under it."""
    name = domain_name(host)
    return name is not None and public_suffix(name) == name


def same_site(a: str, b: str) -> bool:
    """True when two hosts belong to the same registrable domain (never for unknown or IP hosts, unless
    they are the same name)."""
    first, second = domain_name(a), domain_name(b)
    if first is None or second is None:
        return False
    if first == second:
        return True
    site = registrable_domain(first)
    return site is not None and site == registrable_domain(second)


PARENT, SHARED = "parent", "shared"


@functools.cache
def _shared_hosting() -> tuple[frozenset[str], tuple[str, ...]]:
    """``data/shared_hosting.txt``: hosting names the list does not declare (see the file's header)."""
    text = resources.files("spyscan").joinpath("data", "shared_hosting.txt").read_text(encoding="utf-8")
    parents: set[str] = set()
    patterns: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kind, name = line.split()[:2]
        (parents.add(name) if kind == PARENT else patterns.append(name))
    return frozenset(parents), tuple(patterns)


def shared_hosting(host: str) -> str | None:
    """``"parent"`` for the name of a hosting service whose subdomains belong to unrelated customers (a public
    suffix, or a name listed in ``data/shared_hosting.txt``), ``"shared"`` for a host that serves unrelated
    sites at once (an Azure App Service scale unit), else None."""
    name = domain_name(host)
    if name is None:
        return None
    parents, patterns = _shared_hosting()
    if name in parents or is_public_suffix(name):
        return PARENT
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns):
        return SHARED
    return None
