"""``dumpsys batterystats`` history: apps coming to the foreground, jobs, syncs, package installs.

History lines carry an offset from the last ``RESET:TIME:``/``TIME:`` mark (``+1h26m18s315ms``),
so each event gets an absolute time when such a mark was seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

from spyscan.artifacts.android.dumpsys_common import component_package, device_time
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.android_time import UNKNOWN_CLOCK, DeviceClock, device_clock
from spyscan.evidence.base import Evidence
from spyscan.faults import CONVERSION_ERRORS, TIME_RANGE, note
from spyscan.records.android_battery import BatteryHistoryEvent
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr
from spyscan.timeutil import ANDROID_FLOOR, plausible

CATEGORIES = frozenset({"top", "fg", "job", "sync", "pkginst", "pkgunin", "fgs", "longwake", "tmpwhitelist"})
_OFFSET = re.compile(r"^\s*(?P<offset>\+?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?|0)\s+\(\d+\)")
_PART = re.compile(r"(\d+)(ms|d|h|m|s)")
_TIME = re.compile(r"(?:RESET:)?TIME: (?P<when>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})")
_EVENT = re.compile(r'(?<!\S)(?P<sign>[+-]?)(?P<cat>[a-z_]+)=(?P<uid>[\w]+):"(?P<text>[^"]*)"')
_UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def _seconds(offset: str) -> float:
    return sum(int(value) * _UNITS[unit] for value, unit in _PART.findall(offset))


def _after(base: datetime, offset: str) -> datetime | None:
    """``base`` plus a history offset (``+1h2m3s``); None, with a fault noted, when that is no usable time."""
    try:
        return plausible(base + timedelta(seconds=_seconds(offset)), offset, ANDROID_FLOOR)
    except CONVERSION_ERRORS:  # more digits than int() reads, or past year 9999
        note(TIME_RANGE, offset)
        return None


def parse_battery_history(section: DumpsysSection,
                          clock: DeviceClock = UNKNOWN_CLOCK) -> Iterator[BatteryHistoryEvent]:
    """History events; the device-local TIME: marks converted to UTC with ``clock``."""
    base: datetime | None = None
    base_raw: str | None = None
    for number, line in section.lines():
        if line.strip().startswith("Daily stats:"):
            return
        if match := _TIME.search(line):
            base, base_raw = device_time(match["when"], clock), match["when"]
            continue
        offset = _OFFSET.match(line)
        if offset is None:
            continue
        when = _after(base, offset["offset"]) if base is not None else None
        for event in _EVENT.finditer(line):
            category = event["cat"]
            if category not in CATEGORIES:
                continue
            text = event["text"]
            if category == "pkginst":
                kind = "install"
            elif category == "pkgunin":
                kind = "uninstall"
            else:
                kind = "stop" if event["sign"] == "-" else "start"
            yield BatteryHistoryEvent(
                source=SourceRef(file=section.file, line=number, key=section.name), event=kind, category=category,
                uid=event["uid"], package=component_package(text) or None, detail=text, time=when,
                offset=offset["offset"], time_base_raw=base_raw, time_zone=clock.name,
                timezone_assumed=clock.assumed and when is not None,
            )


class DumpsysBatteryHistory(Artifact):
    id = "android.dumpsys.battery_history"
    kinds = ("androidqf", "bugreport")
    same_data = "dumpsys:batterystats"
    title = N_("Battery history events (dumpsys batterystats)")
    records = (BatteryHistoryEvent,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[BatteryHistoryEvent]:
        clock = device_clock(evidence)
        assumed = 0
        for record in parse_battery_history(require_section(evidence, "batterystats", log=log), clock):
            assumed += record.timezone_assumed
            yield record
        if assumed:
            log.warn(clock.warning(tr("battery history times")))
