"""Indicator data types shared by the loader, the indices and the detection layer."""

from __future__ import annotations

import msgspec


class Indicator(msgspec.Struct, frozen=True, kw_only=True):
    """One comparison of a STIX pattern: ``[<type> = '<value>']``."""

    type: str  # STIX object path as written, normalised spelling: "domain-name:value", "file:hashes.sha256"
    value: str  # the value as written in the pattern (unescaped)
    stix_id: str  # id of the indicator object
    malware: str | None  # malware family name (from malware objects and relationships, or the bundle)
    file: str  # name of the indicator file it came from (as in run.json "indicators")
    name: str | None = None  # the indicator object's name, when present
    platform: str | None = None  # "ios" or "android" when the value only makes sense there (None: any)
    threat: str | None = None  # "mercenary", "stalkerware" or "watchware", from the file's feed
    role: str | None = None  # "c2", "website" or "distribution" when the feed says what the value is for


class IndicatorFile(msgspec.Struct, frozen=True, kw_only=True):
    """An indicator file used by a run (``run.json`` ``indicators`` entries)."""

    file: str  # display name / path
    sha256: str
    count: int  # indicators loaded from it
    source: str  # "bundled", "user", "cli", "env" (+ provenance when known)
    families: tuple[str, ...] = ()
    threat: str | None = None  # the feed's threat class when it is a known public feed
    platforms: dict[str, int] = {}  # indicators per platform they are scoped to ("any": not scoped)


class Unsupported(msgspec.Struct, frozen=True, kw_only=True):
    """A pattern that could not be used, with the reason; reported, never fatal."""

    file: str
    stix_id: str
    pattern: str
    reason: str


class IndicatorMatch(msgspec.Struct, frozen=True, kw_only=True):
    indicator: Indicator
    quality: str  # exact, subdomain, prefix, cidr, url-host, truncated
    observed: str  # the normalised observed value that matched
    weak: bool = False  # e.g. a kernel-truncated process name
