"""The bundled table of iOS releases (``data/ios_versions.json``) and the outdated-version verdict."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

import msgspec

_VERSION = re.compile(r"^\s*(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?(?!\d)", re.ASCII)


class VersionVerdict(msgspec.Struct, frozen=True, kw_only=True):
    latest_in_major: str | None = None
    latest_version: str | None = None
    outdated: bool | None = None  # None: the table cannot tell (unknown or newer than the table)
    major_supported: bool | None = None
    table_date: str | None = None


def parse_version(text: str | None) -> tuple[int, int, int] | None:
    match = _VERSION.match(text or "")
    if match is None:
        return None
    major, minor, patch = (int(g) if g else 0 for g in match.groups())
    return major, minor, patch


@cache
def version_table() -> dict[str, Any]:
    raw = resources.files("spyscan.artifacts.ios").joinpath("data/ios_versions.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert isinstance(data, dict)
    return data


def judge(version: str | None, table: dict[str, Any] | None = None) -> VersionVerdict:
    table = table or version_table()
    parsed = parse_version(version)
    majors: dict[str, dict[str, Any]] = table.get("majors", {})
    known = sorted((parse_version(str(v.get("latest"))), k) for k, v in majors.items() if v.get("latest"))
    latest_version = str(majors[known[-1][1]]["latest"]) if known else None
    date = table.get("as_of")
    if parsed is None:
        return VersionVerdict(latest_version=latest_version, table_date=date)
    entry = majors.get(str(parsed[0]))
    if entry is None:
        newest_major = max((int(k) for k in majors), default=0)
        older = parsed[0] < newest_major
        return VersionVerdict(latest_version=latest_version, table_date=date,
                              major_supported=False if older else None)
    raw_latest = entry.get("latest")
    latest = parse_version(str(raw_latest)) if raw_latest else None
    return VersionVerdict(
        latest_in_major=str(raw_latest) if raw_latest else None, latest_version=latest_version, table_date=date,
        outdated=None if latest is None else parsed < latest,
        major_supported=bool(entry.get("supported", False)),
    )
