"""Small helpers shared by the iOS backup artifacts: IOSSource access and plist value conversion."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios._common import plist_problem
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSFile, IOSPath, IOSSource
from spyscan.evidence.plist import PLIST_LIMIT, PlistError
from spyscan.evidence.plist import load_plist as bounded_plist
from spyscan.faults import registered
from spyscan.texts import tr
from spyscan.timeutil import IOS_FLOOR, aware, from_cocoa, from_iso
from spyscan.values import to_int, to_text


def ios_source(evidence: Evidence) -> IOSSource:
    if not isinstance(evidence, IOSSource):
        raise ArtifactNotFound(tr('%(kind)s inputs hold no iOS files', kind=evidence.kind))
    return evidence


def find_one(source: IOSSource, spec: IOSPath) -> IOSFile | None:
    found = source.ios_find(spec)
    return found[0] if found else None


def load_plist(source: IOSSource, file: IOSFile, log: ArtifactLog) -> Any | None:
    """The parsed plist (bounded reader), or None with a warning (damaged) or the truncated status (a
    limit reached) when it cannot be read."""
    try:
        return bounded_plist(source.ios_read(file, PLIST_LIMIT))
    except PlistError as exc:
        plist_problem(file.label, exc, log)
        return None


def load_dict(source: IOSSource, file: IOSFile, log: ArtifactLog) -> dict[str, Any] | None:
    obj = load_plist(source, file, log)
    if obj is None:
        return None
    if not isinstance(obj, dict):
        log.warn(tr('%(file)s is a plist but not a dictionary', file=file.label))
        return None
    return obj


@registered
def text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return to_text(value)
    return None


@registered
def integer(value: Any) -> int | None:
    """A plist integer; one past 64 bits (an XML plist's <integer> has no size limit) costs its field."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return to_int(value)


@registered
def boolean(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


@registered
def when(value: Any) -> datetime | None:
    """A plist date (naive UTC), an ISO string or a Mac absolute time number as an aware UTC datetime.

    Sentinels and times before the first iPhone are None (see ``spyscan.timeutil``); keep the stored
    value with ``raw_value``."""
    if isinstance(value, datetime):
        return aware(value, value, IOS_FLOOR)
    if isinstance(value, str):
        return from_iso(value, IOS_FLOOR)
    if value is None:
        return None
    return from_cocoa(value, IOS_FLOOR)
