"""Timestamp conversion to aware UTC datetimes; every converter returns None for unusable input.

Which stored values are not times (docs/robustness.md, "Timestamps that cannot be true"):

* **Sentinels** — 0 and -1 in any numeric epoch (UNIX, Cocoa, WebKit), and the instants they stand for
  when written as text or as a plist date (1970-01-01T00:00:00Z, 2001-01-01T00:00:00Z, 1601-01-01 and
  one second before each), the wall-clock time 0001-01-01T00:00:00 (Go's zero ``time.Time``, .NET's
  ``DateTime.MinValue``), Cocoa -63,114,076,800 (``NSDate.distantPast``) and 4001-01-01T00:00:00Z
  (``NSDate.distantFuture``):
  software writes them for "not set". They give None silently (the record keeps the raw value).
* **Before the platform existed** — an iPhone cannot have recorded a time before 2007 (``IOS_FLOOR``), an
  Android phone before 2008 (``ANDROID_FLOOR``). The platform helpers pass ``floor=``; an earlier time gives
  None and is noted as a fault. Dates chosen by a person or copied from elsewhere (calendar events, file
  times that copying preserves) are converted without a floor.
* **Faults** — out of datetime's range (years 1-9999), not finite, text that is not a time, a wrong type:
  None, noted as a fault (``spyscan.faults``: one warning per artifact).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, tzinfo

from spyscan.faults import TIME_EARLY, TIME_RANGE, TIME_TEXT, WRONG_TYPE, converter, note, registered

UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
COCOA_EPOCH = datetime(2001, 1, 1, tzinfo=UTC)  # Mac absolute time
WEBKIT_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)  # Chrome/WebKit microseconds, Windows FILETIME base
DISTANT_FUTURE = datetime(4001, 1, 1, tzinfo=UTC)  # NSDate.distantFuture (Cocoa 63,113,904,000 s)
DISTANT_PAST_COCOA = -63_114_076_800.0  # NSDate.distantPast: 0001-01-01 in Apple's Julian-Gregorian calendar
IOS_FLOOR = datetime(2007, 1, 1, tzinfo=UTC)  # the first iPhone (announced January 2007, sold June 2007)
ANDROID_FLOOR = datetime(2008, 1, 1, tzinfo=UTC)  # the first Android phone (HTC Dream, sold October 2008)
_MIN = datetime(1, 1, 2, tzinfo=UTC)
_MAX = datetime(9999, 12, 30, tzinfo=UTC)
_ZERO_WALL_CLOCK = datetime(1, 1, 1)
_SECOND = timedelta(seconds=1)
SENTINEL_INSTANTS = frozenset({
    UNIX_EPOCH, UNIX_EPOCH - _SECOND, COCOA_EPOCH, COCOA_EPOCH - _SECOND, WEBKIT_EPOCH,
    datetime(1, 1, 1, tzinfo=UTC), DISTANT_FUTURE,
})


_SAFE_SPAN = 4e10  # seconds (about 1,270 years): from any epoch above, far inside datetime's range


def _add(epoch: datetime, seconds: float) -> datetime | None:
    if -_SAFE_SPAN < seconds < _SAFE_SPAN:  # the usual case: cannot overflow nor leave the range (NaN fails this)
        return epoch + timedelta(seconds=seconds)
    return _add_checked(epoch, seconds)


def _add_checked(epoch: datetime, seconds: float) -> datetime | None:
    """``epoch`` + ``seconds`` with every check: None when not finite, on overflow, or outside years 1-9999."""
    if not math.isfinite(seconds):
        return None
    try:
        result = epoch + timedelta(seconds=seconds)
    except (OverflowError, ValueError):
        return None
    if result < _MIN or result > _MAX:
        return None
    return result


def _number(value: object) -> float | None:
    """The stored number (None for nothing stored; a fault for what is not a number)."""
    kind = type(value)
    if kind is float:
        return value  # type: ignore[return-value]
    if kind is int:
        return float(value)  # type: ignore[arg-type]  # an int past float's range: OverflowError, a fault
    if value is None:
        return None
    if isinstance(value, bool):
        note(WRONG_TYPE, value)
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str | bytes):
        if not value.strip():
            return None
        try:
            return float(value)
        except ValueError:
            note(TIME_TEXT, value)
            return None
    note(WRONG_TYPE, value)
    return None


def plausible(when: datetime | None, raw: object, floor: datetime | None = None) -> datetime | None:
    """``when`` unless it is a sentinel (None, silently) or earlier than ``floor`` (None, a fault)."""
    if when is None or when in SENTINEL_INSTANTS:
        return None
    if floor is not None and when < floor:
        note(TIME_EARLY, raw)
        return None
    return when


def _from_epoch(epoch: datetime, seconds: float, raw: object, floor: datetime | None) -> datetime | None:
    result = _add(epoch, seconds)
    if result is None:
        note(TIME_RANGE, raw)
        return None
    return plausible(result, raw, floor)


@converter
def from_unix(value: object, floor: datetime | None = None) -> datetime | None:
    """Seconds since 1970; values that are clearly milliseconds/microseconds are scaled."""
    number = _number(value)
    if number is None or number == 0 or number == -1:
        return None
    magnitude = abs(number)
    if magnitude > 1e17:
        number /= 1e9
    elif magnitude > 1e14:
        number /= 1e6
    elif magnitude > 1e11:
        number /= 1e3
    return _from_epoch(UNIX_EPOCH, number, value, floor)


@converter
def from_unix_ms(value: object, floor: datetime | None = None) -> datetime | None:
    number = _number(value)
    if number is None or number == 0 or number == -1:
        return None
    return _from_epoch(UNIX_EPOCH, number / 1000.0, value, floor)


@converter
def from_cocoa(value: object, floor: datetime | None = None) -> datetime | None:
    """Mac absolute time: seconds since 2001-01-01, or nanoseconds (iOS 11+ in some databases)."""
    number = _number(value)
    if number is None or number == 0 or number == -1 or number == DISTANT_PAST_COCOA:
        return None
    if abs(number) > 1e14:  # nanoseconds
        number /= 1e9
    return _from_epoch(COCOA_EPOCH, number, value, floor)


@converter
def from_webkit(value: object, floor: datetime | None = None) -> datetime | None:
    """Chrome/WebKit time: microseconds since 1601-01-01."""
    number = _number(value)
    if number is None or number == 0 or number == -1:
        return None
    return _from_epoch(WEBKIT_EPOCH, number / 1e6, value, floor)


@registered
def from_iso(value: object, floor: datetime | None = None) -> datetime | None:
    """ISO-8601 text (``Z`` or an offset; without one, UTC)."""
    return from_text(value, (), floor)


def aware(parsed: datetime, raw: object, floor: datetime | None = None, zone: tzinfo = UTC) -> datetime | None:
    """A parsed wall-clock time as aware UTC: naive ones are in ``zone``. Sentinels and times before
    ``floor`` are None (see the module doc); a time that leaves datetime's range is a fault."""
    if parsed.replace(tzinfo=None) == _ZERO_WALL_CLOCK and parsed.utcoffset() in (None, timedelta(0)):
        return None  # year 1, January 1, midnight, UTC or no zone: the zero time of Go and .NET
    try:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        result = parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        note(TIME_RANGE, raw)
        return None
    return plausible(result, raw, floor)


@converter
def from_text(value: object, formats: tuple[str, ...] = (), floor: datetime | None = None,
              zone: tzinfo = UTC) -> datetime | None:
    """Text in one of the ``strptime`` ``formats`` (naive ones in ``zone``), else ISO-8601."""
    if value is None:
        return None
    if not isinstance(value, str):
        note(WRONG_TYPE, value)
        return None
    text = value.strip()
    if not text:
        return None
    for fmt in formats:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return aware(parsed, value, floor, zone)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        note(TIME_TEXT, value)
        return None
    return aware(parsed, value, floor, zone)


def iso(value: datetime | None) -> str | None:
    """ISO-8601 UTC with a Z suffix (microseconds only when present)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")


def utcnow() -> datetime:
    return datetime.now(UTC)
