"""What each value of the Echap stalkerware feed is for, from the feed's source files.

Echap's STIX file (``generated/stalkerware.stix2``) gives bare values; its sources, ``ioc.yaml`` and
``watchware.yaml`` (AssoEchap/stalkerware-indicators, CC-BY 4.0), say for each app family whether it is
stalkerware or watchware (an overt monitoring or parental-control app), which domains are the vendor's
``websites``, which serve the app (``distribution``) and which are its command servers (``c2``), which
package names are Android apps (``packages``) and which are iOS bundle ids (``ios_bundles``). A value listed
under several headings takes the one that matters most for the phone: c2, then distribution, then website.

The categories are read from the YAML once (when the bundled set is built, or by ``spyscan iocs update``)
and kept as a small JSON document, so a check never parses YAML.
"""

from __future__ import annotations

from typing import Any

import msgspec
import yaml

from spyscan.errors import IndicatorError
from spyscan.texts import tr

C2, DISTRIBUTION, WEBSITE = "c2", "distribution", "website"
_RANK = {WEBSITE: 1, DISTRIBUTION: 2, C2: 3}
IOC_FILE, WATCHWARE_FILE = "ioc.yaml", "watchware.yaml"
REPOSITORY = "AssoEchap/stalkerware-indicators"
STIX_PATH = "generated/stalkerware.stix2"  # the feed these categories describe, inside the repository


class FeedCategories(msgspec.Struct, frozen=True, kw_only=True):
    source: str  # where the YAML came from (repository and commit, or URLs)
    roles: dict[str, str] = {}  # lower-case domain or IP address -> c2 / distribution / website
    threats: dict[str, str] = {}  # lower-case family name (and alternative names) -> stalkerware / watchware
    android_packages: frozenset[str] = frozenset()  # lower-case
    ios_bundles: frozenset[str] = frozenset()  # lower-case

    def role(self, value: str) -> str | None:
        key = value.strip().lower().rstrip(".")
        found = self.roles.get(key)
        if found is None and key.startswith("www."):
            found = self.roles.get(key[4:])
        return found

    def threat(self, family: str | None) -> str | None:
        return self.threats.get(family.strip().lower()) if family else None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _load(data: bytes, name: str) -> list[dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        doc = yaml.load(data, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        raise IndicatorError(tr('%(name)s: invalid YAML', name=name)) from None
    if not isinstance(doc, list):
        raise IndicatorError(tr('%(name)s: not a list of app families', name=name))
    return [entry for entry in doc if isinstance(entry, dict)]


def categories_from_yaml(ioc: bytes, watchware: bytes, source: str) -> FeedCategories:
    """Categories from the bytes of ``ioc.yaml`` and ``watchware.yaml``; raises :class:`IndicatorError`."""
    roles: dict[str, str] = {}
    threats: dict[str, str] = {}
    packages: set[str] = set()
    bundles: set[str] = set()

    def put(value: str, role: str) -> None:
        key = value.strip().lower().rstrip(".")
        if key and _RANK[role] > _RANK.get(roles.get(key, ""), 0):
            roles[key] = role

    for data, name, default in ((ioc, IOC_FILE, "stalkerware"), (watchware, WATCHWARE_FILE, "watchware")):
        for entry in _load(data, name):
            declared = entry.get("type")
            kind = declared if isinstance(declared, str) and declared in ("stalkerware", "watchware") else default
            for family in _strings(entry.get("name")) + _strings(entry.get("names")):
                threats.setdefault(family.strip().lower(), kind)
            for value in _strings(entry.get("websites")):
                put(value, WEBSITE)
            for value in _strings(entry.get("distribution")):
                put(value, DISTRIBUTION)
            c2 = entry.get("c2")
            if isinstance(c2, dict):
                for key in ("domains", "ips", "ip"):
                    for value in _strings(c2.get(key)):
                        put(value, C2)
            packages.update(p.strip().lower() for p in _strings(entry.get("packages")))
            bundles.update(b.strip().lower() for b in _strings(entry.get("ios_bundles")))
    return FeedCategories(source=source, roles=roles, threats=threats, android_packages=frozenset(packages),
                          ios_bundles=frozenset(bundles))


_decoder = msgspec.json.Decoder(FeedCategories)


def encode_categories(categories: FeedCategories) -> bytes:
    return msgspec.json.encode(categories, order="sorted")


def decode_categories(data: bytes) -> FeedCategories | None:
    try:
        return _decoder.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
