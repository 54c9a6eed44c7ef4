"""The device's time zone, for Android times written as local wall-clock text without an offset.

dumpsys (appops, batterystats, package, dbinfo), logcat and the entries of a bugreport zip write the
device's local time with no zone. Android keeps the zone the user chose in the system property
``persist.sys.timezone`` (an IANA name such as ``Europe/Paris``); androidqf saves it in ``getprop.txt``
and a bugreport in the dumpstate's ``SYSTEM PROPERTIES`` block.

``DeviceClock`` converts such times to UTC with that zone (``zoneinfo`` from the standard library,
daylight saving time included). When the zone is unknown the time is kept as if it were UTC and the
clock says so (``assumed``): records carry ``timezone_assumed=True`` and the artifact warns once.
An evidence kind that can tell the zone implements ``DeviceTimeSource``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from spyscan.texts import tr
from spyscan.timeutil import aware

TZ_PROPERTY = "persist.sys.timezone"


@dataclass(frozen=True)
class DeviceClock:
    """The device time zone (``name``), or none known (``assumed``: local times taken as UTC)."""

    name: str | None = None
    problem: str | None = None  # why no zone is known (missing property, unknown zone name)
    _zone: tzinfo | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_name(cls, name: str | None) -> DeviceClock:
        text = (name or "").strip()
        if not text:
            return cls(problem=tr("the device time zone (%(property)s) is not known", property=TZ_PROPERTY))
        try:
            return cls(name=text, _zone=ZoneInfo(text))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return cls(problem=tr("the device time zone '%(zone)s' is not a known IANA zone", zone=text))

    @classmethod
    def from_offset(cls, offset: str | None, where: str) -> DeviceClock:
        """A fixed offset from UTC (``+02:00``), as a sysdiagnose's name gives it: right for times near the
        acquisition, off by the daylight-saving change for times across one (``where`` says its source)."""
        match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", (offset or "").strip())
        if match is None:
            return cls(problem=tr("the device's offset from UTC is not known (%(where)s)", where=where))
        delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
        return cls(name=f"UTC{offset}", _zone=timezone(-delta if match.group(1) == "-" else delta))

    @property
    def assumed(self) -> bool:
        """True when no zone is known and local times are stored as if they were UTC."""
        return self._zone is None

    def to_utc(self, local: datetime, raw: object = None, floor: datetime | None = None) -> datetime | None:
        """A naive device-local time as an aware UTC time (as if UTC when the zone is unknown).

        None for a sentinel, a time before ``floor`` or one that leaves datetime's range once moved to
        UTC (the last two are noted as faults of ``raw``, see ``spyscan.timeutil.aware``)."""
        return aware(local, local if raw is None else raw, floor, self._zone or UTC)

    def warning(self, what: str) -> str:
        """The one-line warning an artifact gives when it had to assume UTC (``what``: a ``Text``)."""
        return tr("%(problem)s: %(what)s are device-local times stored as if UTC",
                  problem=self.problem or tr("no device time zone"), what=what)

    def today(self, moment: datetime) -> datetime:
        """``moment`` (aware) seen on the device's wall clock (UTC when the zone is unknown)."""
        return moment.astimezone(self._zone or UTC)


UNKNOWN_CLOCK = DeviceClock.from_name(None)


@runtime_checkable
class DeviceTimeSource(Protocol):
    """An evidence that can tell the device's time zone (androidqf getprop.txt, bugreport properties)."""

    def device_clock(self) -> DeviceClock: ...


def device_clock(evidence: object) -> DeviceClock:
    """The evidence's device clock, or an unknown one when the evidence cannot tell."""
    if isinstance(evidence, DeviceTimeSource):
        try:
            return evidence.device_clock()
        except (OSError, ValueError):
            return UNKNOWN_CLOCK
    return UNKNOWN_CLOCK


def timezone_property(lines: Iterable[str]) -> str | None:
    """The value of ``[persist.sys.timezone]: [Zone/Name]`` among getprop lines, if present."""
    prefix = f"[{TZ_PROPERTY}]: ["
    for line in lines:
        if line.startswith(prefix):
            value = line[len(prefix):].strip()
            return value[:-1].strip() if value.endswith("]") else value
    return None
