"""Timestamp conversion to aware UTC datetimes; every converter returns None for unusable input."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
COCOA_EPOCH = datetime(2001, 1, 1, tzinfo=UTC)  # Mac absolute time
WEBKIT_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)  # Chrome/WebKit microseconds, Windows FILETIME base
_MIN = datetime(1, 1, 2, tzinfo=UTC)
_MAX = datetime(9999, 12, 30, tzinfo=UTC)


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
    kind = type(value)
    if kind is float:
        return value  # type: ignore[return-value]
    if kind is int:
        return float(value)  # type: ignore[arg-type]
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str | bytes):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def from_unix(value: object) -> datetime | None:
    """Seconds since 1970; values that are clearly milliseconds/microseconds are scaled."""
    number = _number(value)
    if number is None:
        return None
    magnitude = abs(number)
    if magnitude > 1e17:
        number /= 1e9
    elif magnitude > 1e14:
        number /= 1e6
    elif magnitude > 1e11:
        number /= 1e3
    return _add(UNIX_EPOCH, number)


def from_unix_ms(value: object) -> datetime | None:
    number = _number(value)
    return None if number is None else _add(UNIX_EPOCH, number / 1000.0)


def from_cocoa(value: object) -> datetime | None:
    """Mac absolute time: seconds since 2001-01-01, or nanoseconds (iOS 11+ in some databases)."""
    number = _number(value)
    if number is None:
        return None
    if abs(number) > 1e14:  # nanoseconds
        number /= 1e9
    return _add(COCOA_EPOCH, number)


def from_webkit(value: object) -> datetime | None:
    """Chrome/WebKit time: microseconds since 1601-01-01."""
    number = _number(value)
    if number is None or number == 0:
        return None
    return _add(WEBKIT_EPOCH, number / 1e6)


def from_iso(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


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
