"""Small helpers shared by the iOS backup artifacts: IOSSource access and plist value conversion."""

from __future__ import annotations

import plistlib
import struct
from datetime import datetime
from typing import Any
from xml.parsers.expat import ExpatError

from spyscan.artifacts.base import ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSFile, IOSPath, IOSSource
from spyscan.faults import registered
from spyscan.texts import tr
from spyscan.timeutil import IOS_FLOOR, aware, from_cocoa, from_iso
from spyscan.values import to_int, to_text

# what plistlib raises on damaged XML or binary plists
PLIST_ERRORS = (plistlib.InvalidFileException, ExpatError, ValueError, OverflowError, TypeError, KeyError,
                IndexError, struct.error, RecursionError)


def ios_source(evidence: Evidence) -> IOSSource:
    if not isinstance(evidence, IOSSource):
        raise ArtifactNotFound(tr('%(kind)s inputs hold no iOS files', kind=evidence.kind))
    return evidence


def find_one(source: IOSSource, spec: IOSPath) -> IOSFile | None:
    found = source.ios_find(spec)
    return found[0] if found else None


def load_plist(source: IOSSource, file: IOSFile, log: ArtifactLog) -> Any | None:
    """The parsed plist, or None (with a warning) when it cannot be parsed."""
    try:
        return plistlib.loads(source.ios_read(file))
    except PLIST_ERRORS as exc:
        log.warn(tr('%(file)s is not a readable plist: %(error)s', file=file.label, error=exc))
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
