"""The bundled tables of iOS releases (``data/ios_versions.json``) and iPhone models (``data/ios_models.json``),
and the outdated-version verdict.

A phone is judged on the date the acquisition was made, never on today's date, and against its own ceiling
(the newest iOS its model can run): an iPhone X on the newest iOS 16 release, or a phone on the newest
iOS 18.7.x security release while iOS 26 exists, is current (field research §1.C C4; mvt-project/mvt#285).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

import msgspec

_VERSION = re.compile(r"^\s*(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?(?!\d)", re.ASCII)
Version = tuple[int, int, int]


class VersionVerdict(msgspec.Struct, frozen=True, kw_only=True):
    latest_in_major: str | None = None  # newest release of the branch out on the acquisition date
    latest_version: str | None = None  # newest release of any branch out on the acquisition date
    outdated: bool | None = None  # None: the table cannot tell (no release of the branch known before that date)
    major_supported: bool | None = None  # does the branch still receive updates (on the table's date)?
    table_date: str | None = None
    judged_on: str | None = None  # the acquisition date the verdict is about (YYYY-MM-DD); None: not judged
    marketing_name: str | None = None  # from the model identifier
    model_last_major: int | None = None  # the newest major the model can run (None: the newest of the table)
    model_known: bool = False
    newer_major: int | None = None  # a newer major the model could run, already out on the acquisition date


def parse_version(text: str | None) -> Version | None:
    match = _VERSION.match(text or "")
    if match is None:
        return None
    major, minor, patch = (int(g) if g else 0 for g in match.groups())
    return major, minor, patch


def _data(name: str) -> dict[str, Any]:
    raw = resources.files("spyscan.artifacts.ios").joinpath(f"data/{name}").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert isinstance(data, dict)
    return data


@cache
def version_table() -> dict[str, Any]:
    return _data("ios_versions.json")


@cache
def model_table() -> dict[str, Any]:
    return _data("ios_models.json")


def marketing_name(product_type: str | None) -> str | None:
    """``iPhone10,3`` -> ``iPhone X`` (None for an identifier the table does not list)."""
    entry = model_table().get("models", {}).get((product_type or "").strip())
    return str(entry["name"]) if isinstance(entry, dict) and entry.get("name") else None


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _releases(entry: dict[str, Any], until: date) -> list[tuple[Version, str]]:
    found = []
    for release in entry.get("releases", []):
        parsed, released = parse_version(str(release.get("version"))), _day(release.get("released"))
        if parsed is not None and released is not None and released <= until:
            found.append((parsed, str(release["version"])))
    return sorted(found)


def judge(version: str | None, acquired: datetime | date | str | None = None, model: str | None = None,
          table: dict[str, Any] | None = None) -> VersionVerdict:
    """The verdict on ``version`` for a phone of identifier ``model`` acquired on ``acquired``."""
    table = table or version_table()
    majors: dict[str, dict[str, Any]] = table.get("majors", {})
    entry = model_table().get("models", {}).get((model or "").strip())
    model_known = isinstance(entry, dict)
    ceiling = entry.get("last_major") if isinstance(entry, dict) else None
    base = VersionVerdict(table_date=table.get("as_of"), marketing_name=marketing_name(model),
                          model_known=model_known, model_last_major=ceiling if isinstance(ceiling, int) else None)
    parsed = parse_version(version)
    day = _day(acquired)
    if parsed is None or day is None:
        return base
    latest_any = max((r for e in majors.values() for r in _releases(e, day)), default=None)
    branch = majors.get(str(parsed[0]), {})
    known = _releases(branch, day)
    newest = known[-1] if known else None
    newer = [int(k) for k, e in majors.items() if k.isdigit() and int(k) > parsed[0]
             and (_day(e.get("first_release")) or date.max) <= day
             and (not isinstance(ceiling, int) or int(k) <= ceiling)]
    return msgspec.structs.replace(
        base, judged_on=day.isoformat(), latest_version=latest_any[1] if latest_any else None,
        latest_in_major=newest[1] if newest else None,
        outdated=None if newest is None else parsed < newest[0],
        major_supported=(bool(branch.get("supported", False)) if branch
                         else None if parsed[0] > max((int(k) for k in majors if k.isdigit()), default=0) else False),
        newer_major=max(newer) if model_known and newer else None,
    )
