"""Helpers shared by the ``dumpsys_*`` artifacts: device time stamps and component names."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T-](\d{2})[:-](\d{2})[:-](\d{2})(?:\.(\d{1,6}))?")


def device_time(text: str) -> datetime | None:
    """A dumpsys time (``2022-03-07 18:05:34.325`` or ``2023-07-27-12-34-18``).

    dumpsys writes the device's local time without its offset; it is kept as if it were UTC and the
    raw text is stored next to it by the records that convert it.
    """
    match = _STAMP.search(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                        int((fraction or "0").ljust(6, "0")), tzinfo=UTC)
    except ValueError:
        return None


def component_package(component: str) -> str:
    """``com.example/.Service`` -> ``com.example``."""
    return component.split("/", 1)[0].strip("{}[] ")


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
