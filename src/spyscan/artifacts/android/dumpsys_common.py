"""Helpers shared by the ``dumpsys_*`` artifacts: device time stamps and component names."""

from __future__ import annotations

import re
from datetime import datetime

from spyscan.evidence.android_time import UNKNOWN_CLOCK, DeviceClock
from spyscan.faults import TIME_TEXT, converter, note, registered
from spyscan.timeutil import ANDROID_FLOOR

_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T-](\d{2})[:-](\d{2})[:-](\d{2})(?:\.(\d{1,6}))?")


@converter
def local_time(text: str) -> datetime | None:
    """A dumpsys time (``2022-03-07 18:05:34.325`` or ``2023-07-27-12-34-18``) as a naive local time."""
    match = _STAMP.search(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                        int((fraction or "0").ljust(6, "0")))
    except ValueError:
        note(TIME_TEXT, match.group(0))
        return None


@registered
def device_time(text: str, clock: DeviceClock = UNKNOWN_CLOCK) -> datetime | None:
    """A dumpsys time in UTC.

    dumpsys writes the device's local time without its offset: it is converted with the device time
    zone when ``clock`` knows it, otherwise kept as if it were UTC (records then say
    ``timezone_assumed``); the records keep the raw text next to it.
    """
    local = local_time(text)
    return clock.to_utc(local, text, ANDROID_FLOOR) if local is not None else None


def component_package(component: str) -> str:
    """``com.example/.Service`` -> ``com.example``."""
    return component.split("/", 1)[0].strip("{}[] ")


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
