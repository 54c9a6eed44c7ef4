"""``dumpsys batterystats`` daily stats: package installs, updates, uninstalls, and downgrades."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import msgspec

from spyscan.artifacts.android.dumpsys_common import device_time
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.android_time import UNKNOWN_CLOCK, DeviceClock, device_clock
from spyscan.evidence.base import Evidence
from spyscan.records.android_battery import BatteryPackageChange
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr
from spyscan.values import to_int

_DAY = re.compile(r"^\s*Daily from (?P<start>\S+) to (?P<end>\S+?):\s*$")
_CURRENT = re.compile(r"^\s*Current start time: (?P<start>\S+)\s*$")
_CHANGE = re.compile(r"^\s*(?P<action>Update|Uninstall|Install) (?P<package>[\w.]+)(?: vers=(?P<vers>-?\d+))?\s*$")


def parse_battery_daily(section: DumpsysSection, clock: DeviceClock = UNKNOWN_CLOCK) -> Iterator[BatteryPackageChange]:
    """Package changes of the daily stats; device-local day times converted to UTC with ``clock``."""
    changes: list[tuple[datetime | None, int, BatteryPackageChange]] = []
    day_start: datetime | None = None
    day_end: datetime | None = None
    day_raw: str | None = None
    end_raw: str | None = None
    for number, line in section.lines():
        if match := _DAY.match(line):
            day_start, day_end = device_time(match["start"], clock), device_time(match["end"], clock)
            day_raw, end_raw = match["start"], match["end"]
        elif match := _CURRENT.match(line):
            day_start, day_end, day_raw, end_raw = device_time(match["start"], clock), None, match["start"], None
        elif match := _CHANGE.match(line):
            action = "uninstall" if match["action"] == "Uninstall" else "update"
            change = BatteryPackageChange(
                source=SourceRef(file=section.file, line=number, key=section.name), action=action,
                package=match["package"], version_code=to_int(match["vers"]),
                day_start=day_start, day_end=day_end, day_start_raw=day_raw, day_end_raw=end_raw, time_zone=clock.name,
                timezone_assumed=clock.assumed and day_start is not None,
            )
            changes.append((day_start, number, change))
    # days are printed newest first: replay them oldest first to see versions going down
    changes.sort(key=lambda item: (item[0] is not None, item[0] or datetime.min, item[1]))
    last_version: dict[str, int] = {}
    for _, _, change in changes:
        previous = last_version.get(change.package)
        version = change.version_code
        if version is not None:
            if change.action == "update" and previous is not None and version < previous:
                change = msgspec.structs.replace(change, action="downgrade", previous_version_code=previous)
            last_version[change.package] = version
        yield change


class DumpsysBatteryDaily(Artifact):
    id = "android.dumpsys.battery_daily"
    kinds = ("androidqf", "bugreport")
    same_data = "dumpsys:batterystats"
    title = N_("Package changes in battery daily stats (dumpsys batterystats)")
    records = (BatteryPackageChange,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[BatteryPackageChange]:
        clock = device_clock(evidence)
        assumed = 0
        for record in parse_battery_daily(require_section(evidence, "batterystats", log=log), clock):
            assumed += record.timezone_assumed
            yield record
        if assumed:
            log.warn(clock.warning(tr("battery daily stats days")))
