"""Indicator files a user added (``spyscan iocs add`` or the web app): validated, then kept with their provenance.

They live in ``<data folder>/iocs-added/`` (owner-only), apart from the set ``spyscan iocs update``
replaces, with ``added.json`` saying for each: the name it was given, when it was added, its SHA-256,
and the platform it is about ("ios", "android", or none: any). Every check and hunt loads them after
the bundled and updated sets (source ``added``). A declared platform is the file's platform as a known
feed's is (``indicators.scope``): network values stay valid on any platform, the others are scoped to it
and never matched on the other.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import msgspec

from spyscan.errors import IndicatorError, UsageError
from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.prepare import prepare
from spyscan.indicators.scope import FeedProfile, scope_entry
from spyscan.indicators.stix import ParsedBundle, parse_bundle_bytes
from spyscan.indicators.storage import data_dir, make_private_dir, write_private
from spyscan.texts import message_of_error, tr

MANIFEST = "added.json"
PLATFORMS = ("ios", "android")
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class Validation(msgspec.Struct, frozen=True, kw_only=True):
    """What a STIX2 file holds and what is wrong with it."""

    name: str
    sha256: str
    indicator_objects: int
    usable: int  # comparisons that can be matched
    families: list[str]
    problems: list[str]  # one line each

    @property
    def ok(self) -> bool:
        return self.usable > 0 and not self.problems


class AddedFile(msgspec.Struct, frozen=True, kw_only=True):
    file: str  # file name inside the added folder
    name: str  # the name it was uploaded or added with
    sha256: str
    added: str  # UTC
    platform: str | None = None
    indicators: int = 0
    families: list[str] = []


def added_dir() -> Path:
    return data_dir() / "iocs-added"


def declare_platform(parsed: ParsedBundle, platform: str) -> ParsedBundle:
    """The entries of an added file scoped as a feed about ``platform`` would be (network values stay unscoped)."""
    profile = FeedProfile(path="", threat=None, platform=platform, why="declared when the file was added",
                          source="added")
    return msgspec.structs.replace(parsed, entries=[
        e if e.platform is not None else scope_entry(e, profile, None) for e in parsed.entries])


def validate_bytes(data: bytes, name: str) -> Validation:
    """Parse ``data`` as a STIX2 bundle, as a check loads it; every indicator that cannot be used is a problem."""
    from spyscan.indicators.sources import current_categories

    digest = hashlib.sha256(data).hexdigest()
    try:
        parsed = prepare(parse_bundle_bytes(data, name), name, current_categories())
    except IndicatorError as exc:
        return Validation(name=name, sha256=digest, indicator_objects=0, usable=0, families=[],
                          problems=[message_of_error(exc)])
    indicators = parsed.indicators(name)
    index = IndicatorIndex.build(indicators)
    problems: list[str] = [tr("%(id)s: %(reason)s (pattern: %(pattern)s)", id=u.stix_id, reason=u.reason,
                              pattern=u.pattern) for u in parsed.unsupported]
    problems += [tr("%(id)s: value '%(value)s' cannot be used as %(type)s", id=i.stix_id, value=i.value, type=i.type)
                 for i in index.skipped]
    if not indicators:
        problems.append(tr("no usable indicator"))
    return Validation(name=name, sha256=digest, indicator_objects=parsed.indicator_objects,
                      usable=len(indicators) - len(index.skipped), families=list(parsed.families), problems=problems)


def read_manifest() -> list[AddedFile]:
    try:
        return msgspec.json.decode((added_dir() / MANIFEST).read_bytes(), type=list[AddedFile])
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return []


def add_bytes(data: bytes, name: str, platform: str | None, when: str) -> tuple[Validation, AddedFile | None]:
    """Validate ``data`` and, when it is valid, add it to the set (the same content twice is added once)."""
    if platform is not None and platform not in PLATFORMS:
        raise UsageError(tr("unknown platform '%(platform)s'; one of: %(items)s (or none: any)", platform=platform,
                            items=', '.join(PLATFORMS)))
    result = validate_bytes(data, name)
    if not result.ok:
        return result, None
    entries = read_manifest()
    for entry in entries:
        if entry.sha256 == result.sha256:
            return result, entry
    stem = _SAFE.sub("_", Path(name).stem).strip("._")[:60] or "indicators"
    file = f"{result.sha256[:12]}-{stem}.stix2"
    folder = make_private_dir(added_dir())
    write_private(folder / file, data)
    entry = AddedFile(file=file, name=name[:200], sha256=result.sha256, added=when, platform=platform,
                      indicators=result.usable, families=result.families)
    entries.append(entry)
    write_private(folder / MANIFEST, json.dumps(msgspec.to_builtins(entries), indent=2).encode() + b"\n")
    return result, entry
