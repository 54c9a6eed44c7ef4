"""Times as people read them: the phone's local time when the evidence gives its zone, with UTC beside it.

The outputs store every time in UTC. The report shows each time in the device's local time when the
acquisition says where the phone was (``run.json`` ``device.timezone``, an IANA zone with its daylight
saving rules, else ``device.utc_offset``, the offset at the acquisition: a sysdiagnose's name), followed
by the UTC time. ``--tz`` chooses another zone (an IANA name, ``UTC``, or an offset such as ``-06:00``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from spyscan.errors import UsageError
from spyscan.records.device import DeviceFacts
from spyscan.texts import tr
from spyscan.timeutil import from_iso

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-−])(\d{1,2}):?(\d{2})?$")
DEVICE = "device"  # --tz device: the zone the evidence gives (the default)


def parse_offset(text: str) -> timezone | None:
    match = _OFFSET.match(text.strip())
    if match is None:
        return None
    sign = -1 if match.group(1) in "-−" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _zone(text: str) -> tzinfo | None:
    if text.strip().upper() in ("UTC", "Z", "GMT"):
        return UTC
    offset = parse_offset(text)
    if offset is not None:
        return offset
    try:
        return ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def check_tz(text: str | None) -> str | None:
    """``--tz``: an IANA zone, UTC, an offset or ``device``; anything else is a usage error."""
    if text is None or text == DEVICE:
        return text
    if _zone(text) is None:
        raise UsageError(tr("unknown time zone %(zone)s: give an IANA name such as America/Mexico_City, UTC, an "
                            "offset such as -06:00, or device", zone=repr(text)))
    return text


def offset_label(offset: timedelta | None) -> str:
    """``UTC−06:00`` (with a real minus sign), ``UTC+05:30``, ``UTC``."""
    if offset is None or not offset:
        return "UTC"
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "−"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


@dataclass(frozen=True)
class Clock:
    """How the report shows times: in ``zone`` with UTC beside it, or in UTC alone (``zone`` None)."""

    zone: tzinfo | None
    name: str  # the zone as given (America/Mexico_City, -06:00), "" for UTC alone
    from_device: bool  # the zone comes from the evidence (else from --tz)

    def parts(self, value: str | None) -> tuple[str, str] | None:
        """(local text, UTC text) of an ISO time; the local text is empty when only UTC is known."""
        when = from_iso(value) if value else None
        if when is None:
            return None
        utc = when.astimezone(UTC)
        if self.zone is None or self.zone is UTC:
            return "", utc.strftime("%Y-%m-%d %H:%M:%S UTC")
        local = utc.astimezone(self.zone)
        utc_text = utc.strftime("%H:%M:%S UTC") if local.date() == utc.date() else utc.strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"{local:%Y-%m-%d %H:%M:%S} {offset_label(local.utcoffset())}", utc_text

    def show(self, value: str | None) -> str:
        """One line: ``2024-05-20 02:00:00 UTC−06:00 · 08:00:00 UTC``, or the UTC time alone, or a dash."""
        parts = self.parts(value)
        if parts is None:
            return "—"
        local, utc = parts
        return f"{local} · {utc}" if local else utc


UTC_ONLY = Clock(None, "", False)


def clock_for(device: DeviceFacts, tz: str | None = None) -> Clock:
    """The clock of a report: ``tz`` when given (not ``device``), else the device's zone or offset, else UTC."""
    if tz and tz != DEVICE:
        zone = _zone(tz)
        return Clock(zone, tz, False) if zone is not None and zone is not UTC else UTC_ONLY
    for name in (device.timezone, device.utc_offset):
        if name:
            zone = _zone(name)
            if zone is not None and zone is not UTC:
                return Clock(zone, name, True)
    return UTC_ONLY


def fmt_time(value: str | None) -> str:
    """A UTC time as ``YYYY-MM-DD HH:MM:SS UTC`` (a dash when there is none)."""
    return UTC_ONLY.show(value)


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
