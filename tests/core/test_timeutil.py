from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import assume, given
from hypothesis import strategies as st

from spyscan import timeutil
from spyscan.timeline.rows import _iso


def test_cocoa_seconds_and_nanoseconds_agree() -> None:
    seconds = 700_000_000.5
    assert timeutil.from_cocoa(seconds) == datetime(2023, 3, 8, 20, 26, 40, 500000, tzinfo=UTC)
    assert timeutil.from_cocoa(int(seconds * 1e9)) == timeutil.from_cocoa(seconds)


def test_dates_before_2004_and_after_2032() -> None:
    assert timeutil.from_cocoa(-100_000_000) == datetime(1997, 10, 31, 14, 13, 20, tzinfo=UTC)
    assert timeutil.from_cocoa(1_100_000_000) == datetime(2035, 11, 10, 11, 33, 20, tzinfo=UTC)
    assert timeutil.from_unix(2_100_000_000) == datetime(2036, 7, 18, 13, 20, tzinfo=UTC)
    assert timeutil.from_unix(1_000_000_000) == datetime(2001, 9, 9, 1, 46, 40, tzinfo=UTC)


def test_unix_scaling_and_webkit() -> None:
    expected = datetime(2024, 1, 1, tzinfo=UTC)
    ts = expected.timestamp()
    assert timeutil.from_unix(ts) == expected
    assert timeutil.from_unix(ts * 1000) == expected
    assert timeutil.from_unix_ms(ts * 1000) == expected
    webkit = int((expected - timeutil.WEBKIT_EPOCH).total_seconds() * 1_000_000)
    assert timeutil.from_webkit(webkit) == expected
    assert timeutil.from_webkit(0) is None


def test_iso_roundtrip() -> None:
    when = datetime(2024, 5, 1, 12, 0, 1, tzinfo=UTC)
    text = timeutil.iso(when)
    assert text == "2024-05-01T12:00:01Z"
    assert timeutil.from_iso(text) == when
    assert timeutil.from_iso("2024-05-01T14:00:01+02:00") == when


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.text(), st.none(),
                 st.binary()))
def test_converters_never_raise(value: object) -> None:
    for convert in (timeutil.from_cocoa, timeutil.from_unix, timeutil.from_unix_ms, timeutil.from_webkit,
                    timeutil.from_iso):
        result = convert(value)
        assert result is None or result.tzinfo is not None


@given(st.datetimes(min_value=datetime(1980, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_cocoa_roundtrip(when: datetime) -> None:
    assume(when not in timeutil.SENTINEL_INSTANTS)  # a stored 0 or -1: "not set", no time (see timeutil)
    seconds = (when - timeutil.COCOA_EPOCH).total_seconds()
    converted = timeutil.from_cocoa(seconds)
    assert converted is not None
    assert abs((converted - when).total_seconds()) < 1e-3


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59, 999999),
                    timezones=st.just(UTC)))
def test_timeline_timestamps_are_written_as_iso_writes_them(when: datetime) -> None:
    assert _iso(when) == timeutil.iso(when)
