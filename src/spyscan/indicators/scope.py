"""Platform, threat class and role of each indicator, set when its file is loaded.

An indicator only means something where it can occur: the process names of Pegasus come from iPhones, and
one of them (``gatekeeperd``) is also a genuine Android daemon; the package names of a stalkerware feed are
Android apps. The engine never matches an indicator scoped to another platform than the input's
(``engine/run.py: load_indicators``). The platform is decided per feed (``bundled/feed_profiles.json``,
one sourced row per known public feed, recognised by the end of its path) and per type of value:

* network values (domains, URLs, IP and e-mail addresses) are reached from any platform: never scoped;
* Android property names and APK signing certificates are Android; configuration profiles are iOS;
* file paths are scoped by their shape first (``/data/``, ``/sdcard/``, ``/system/``... Android;
  ``/private/var/``, ``/var/``, ``/System/``, ``Library/``... iOS), then by the feed;
* process and file names, app ids and file hashes take the feed's platform (none for an unknown file).

The threat class (mercenary, stalkerware, watchware) is the feed's, refined per family for the Echap
stalkerware feed, whose roles (vendor website, distribution, command server) come from its source files
(``spyscan.indicators.categories``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import msgspec

from spyscan.indicators import categories as cat
from spyscan.indicators.stix import ParsedBundle, ParsedEntry

IOS, ANDROID = "ios", "android"
PROFILES_PATH = Path(__file__).resolve().parent / "bundled" / "feed_profiles.json"

NETWORK_TYPES = frozenset({"domain-name:value", "url:value", "ipv4-addr:value", "ipv6-addr:value",
                           "email-addr:value"})
_TYPE_PLATFORM = {"android-property:name": ANDROID, "app:cert.md5": ANDROID, "app:cert.sha1": ANDROID,
                  "app:cert.sha256": ANDROID, "configuration-profile:id": IOS}
_ROLE_TYPES = frozenset({"domain-name:value", "ipv4-addr:value", "ipv6-addr:value", "url:value"})

# Top folders that exist on one platform only (Android: AOSP's root layout; iOS: Apple's file system).
_ANDROID_ROOTS = ("/data/", "/sdcard/", "/storage/", "/system/", "/vendor/", "/apex/", "/product/", "/odm/",
                  "/mnt/", "/system_ext/")
_IOS_ROOTS = ("/private/", "/var/", "/System/", "/Applications/", "/usr/", "/Library/", "Library/",
              "/Developer/")


class FeedProfile(msgspec.Struct, frozen=True, kw_only=True):
    path: str  # "<owner>/<repository>/<path in the repository>"
    threat: str | None
    platform: str | None
    why: str
    source: str

    @property
    def repository_path(self) -> str:
        return self.path.split("/", 2)[2]


class _Profiles(msgspec.Struct, frozen=True):
    description: str
    feeds: list[FeedProfile]


@functools.cache
def profiles() -> tuple[FeedProfile, ...]:
    data = msgspec.json.decode(PROFILES_PATH.read_bytes(), type=_Profiles)
    return tuple(data.feeds)


def profile_for(file: str) -> FeedProfile | None:
    """The profile of a known public feed, recognised by the end of the file's path (``<repo>/<path>`` of
    the bundled and updated sets, or the path inside the repository for a local copy)."""
    name = "/" + file.replace("\\", "/").lstrip("/")
    for profile in profiles():
        if name.endswith("/" + profile.path) or name.endswith("/" + profile.repository_path):
            return profile
    return None


def path_platform(value: str) -> str | None:
    """The platform a device path belongs to, by its top folder (None when both have it, e.g. ``/tmp``)."""
    text = value.strip()
    if text.startswith(_ANDROID_ROOTS):
        return ANDROID
    if text.startswith(_IOS_ROOTS):
        return IOS
    return None


def _is_echap(profile: FeedProfile | None) -> bool:
    return profile is not None and profile.path == f"{cat.REPOSITORY}/{cat.STIX_PATH}"


def is_echap_feed(file: str) -> bool:
    """True for Echap's stalkerware STIX file (whose values the categories describe)."""
    return _is_echap(profile_for(file))


def _app_platform(value: str, feed: str | None, categories: cat.FeedCategories | None) -> str | None:
    if categories is None:
        return feed
    key = value.strip().lower()
    android, ios = key in categories.android_packages, key in categories.ios_bundles
    if android and ios:
        return None
    if ios:
        return IOS
    return ANDROID if android else feed


def _role(entry: ParsedEntry, categories: cat.FeedCategories) -> str | None:
    if entry.type not in _ROLE_TYPES:
        return None
    role = categories.role(entry.value)
    if role is None and entry.type == "url:value":
        host = entry.value.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0]
        role = categories.role(host)
    return role


def scope_entry(entry: ParsedEntry, profile: FeedProfile | None, categories: cat.FeedCategories | None
                ) -> ParsedEntry:
    feed = profile.platform if profile is not None else None
    if entry.type in NETWORK_TYPES:
        platform = None
    elif entry.type in _TYPE_PLATFORM:
        platform = _TYPE_PLATFORM[entry.type]
    elif entry.type == "file:path":
        platform = path_platform(entry.value) or feed
    elif entry.type == "app:id":
        platform = _app_platform(entry.value, feed, categories)
    else:
        platform = feed
    threat = profile.threat if profile is not None else None
    role = None
    if categories is not None:
        threat = categories.threat(entry.malware) or threat
        role = _role(entry, categories)
    if (platform, threat, role) == (entry.platform, entry.threat, entry.role):
        return entry
    return msgspec.structs.replace(entry, platform=platform, threat=threat, role=role)


def scope_bundle(parsed: ParsedBundle, file: str, categories: cat.FeedCategories | None) -> ParsedBundle:
    """``parsed`` with every entry's platform, threat and role set for the file it was loaded from;
    ``categories`` are used only for the Echap stalkerware feed."""
    profile = profile_for(file)
    used = categories if _is_echap(profile) else None
    entries = [scope_entry(e, profile, used) for e in parsed.entries]
    return msgspec.structs.replace(parsed, entries=entries)


def summary(platforms: Iterable[str | None]) -> dict[str, int]:
    """Counts per platform (``any`` for unscoped), for ``iocs list`` and ``run.json``."""
    counts: dict[str, int] = {}
    for platform in platforms:
        key = platform or "any"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


