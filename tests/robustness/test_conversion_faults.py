"""Faults cost a field, never the record: every converter of stored values survives extreme values, a
value it cannot use is noted as a fault (one warning per artifact), and the raw value survives.

Timestamps that cannot be true (sentinels, times before the platform existed) are empty, silently for
sentinels, as a fault otherwise. See docs/robustness.md, "Conversion faults".
"""

from __future__ import annotations

import math
import typing
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spyscan import faults, timeutil
from spyscan.artifacts.base import all_artifacts
from spyscan.records.base import record_types
from spyscan.timeutil import IOS_FLOOR, SENTINEL_INSTANTS
from spyscan.values import RAW_TEXT_LIMIT, raw_value, to_float, to_int

all_artifacts()  # every artifact module registers its converters on import
CONVERTERS = dict(sorted(faults.CONVERTERS.items()))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WALL_CLOCK = {"spyscan.artifacts.android.dumpsys_common.local_time"}  # gives the naive device time (by design)
HUGE_INT = 10 ** 5000  # more digits than int() or str() accept by default
EXTREME_SAMPLES: list[Any] = [
    0, -1, 1, 2 ** 31, 2 ** 63 - 1, -(2 ** 63), 2 ** 63, 2 ** 64, -(2 ** 64), 10 ** 30, HUGE_INT, -HUGE_INT,
    math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -0.0, 63113904000.0, -63114076800.0, 1e20, -1e20,
    True, False, None, "", "   ", "0", "-1", "nan", "inf", "-inf", "1e400", "0x7fffffffffffffff", "12.5",
    "0001-01-01T00:00:00Z", "0001-01-01 00:00:00.00 +0200", "0000-00-00 00:00:00", "9999-12-31T23:59:59-14:00",
    "9999-12-31 23:59:59.00 -1400", "10000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2001-01-01T00:00:00Z",
    "2024-02-30 10:00:00", "2024-01-01 10:00:00 +9999", "Fri Mar 25 10:22:33 0001", "²", "٣٤", "1" * 5000,
    "9" * 400, "\x00", "\ud800", "\u202e2024-01-01", "x" * (3 << 20), b"", b"\xff\xfe\x00", b"1700000000",
    datetime(1, 1, 1), datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), datetime(2001, 1, 1), datetime(2024, 5, 1),
    [], {}, {"a": 1}, [1, 2], (1,), object(), bytearray(b"12"), memoryview(b"34"), 1 + 2j,
]
EXTREMES = st.one_of(
    st.sampled_from(EXTREME_SAMPLES),
    st.integers(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70), st.floats(),
    st.text(max_size=40), st.binary(max_size=40), st.datetimes(), st.datetimes(timezones=st.timezones()),
    st.from_regex(r"-?\d{1,25}(\.\d{0,9})?", fullmatch=True),
    st.from_regex(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,9})?( ?[+-]\d\d:?\d\d|Z)?", fullmatch=True),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def test_every_converter_is_registered() -> None:
    """The shared converters of every layer are in the registry the property test below walks."""
    expected = {
        "spyscan.timeutil.from_unix", "spyscan.timeutil.from_unix_ms", "spyscan.timeutil.from_cocoa",
        "spyscan.timeutil.from_webkit", "spyscan.timeutil.from_iso", "spyscan.timeutil.from_text",
        "spyscan.values.to_int", "spyscan.values.to_float", "spyscan.values.raw_value",
        "spyscan.artifacts.ios._common.cocoa", "spyscan.artifacts.ios._common.unix",
        "spyscan.artifacts.ios._common.webkit", "spyscan.artifacts.ios._common.integer",
        "spyscan.artifacts.ios._common.text", "spyscan.artifacts.ios._plist_values.when",
        "spyscan.artifacts.ios._plist_values.text", "spyscan.values.to_text",
        "spyscan.artifacts.android.dumpsys_common.device_time", "spyscan.artifacts.android.dumpsys_common.local_time",
        "spyscan.artifacts.android.bugreport_tombstone_text.parse_time",
        "spyscan.artifacts.ios.sysdiagnose_crashes.ips_time",
    }
    assert expected <= set(CONVERTERS)


@pytest.mark.parametrize("name", list(CONVERTERS))
@SETTINGS
@given(value=EXTREMES)
def test_every_converter_survives_extreme_values_and_the_raw_value_is_kept(name: str, value: Any) -> None:
    convert = CONVERTERS[name]
    with faults.collecting():
        result = convert(value)  # never raises
    for item in result if isinstance(result, tuple) else (result,):
        if isinstance(item, datetime):
            if name not in WALL_CLOCK:
                assert item.tzinfo is not None and item.utcoffset() == timedelta(0), (name, value, item)
            assert item not in SENTINEL_INSTANTS, (name, value, item)
    raw = raw_value(value)
    assert (raw is None) == (value is None), (name, value)
    msgspec.json.encode(raw)  # what a record keeps can always be written out
    msgspec.json.encode(result)


@SETTINGS
@given(value=EXTREMES)
def test_raw_value_keeps_what_was_stored(value: Any) -> None:
    raw = raw_value(value)
    if type(value) is int:
        expected = value if -(2 ** 63) <= value < 2 ** 64 else hex(value)  # hex: str() has a digit limit
        if isinstance(expected, str) and len(expected) > RAW_TEXT_LIMIT:
            expected = expected[:RAW_TEXT_LIMIT] + "…[cut]"
        assert raw == expected
    elif isinstance(value, bool):
        assert raw == int(value)
    elif isinstance(value, float):
        assert raw == value if math.isfinite(value) else raw == repr(value)
    elif isinstance(value, str):
        assert isinstance(raw, str)
        if len(value) <= RAW_TEXT_LIMIT and "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value):
            assert raw == value
        if len(value) > RAW_TEXT_LIMIT:
            assert raw.startswith(value[:100]) and raw.endswith("[cut]")
    assert msgspec.json.decode(msgspec.json.encode(raw)) == raw or raw != raw  # round trips through JSON


def test_a_converter_turns_its_exceptions_into_a_fault() -> None:
    @faults.converter
    def overflowing(value: object) -> int:
        raise OverflowError("date value out of range")

    with faults.collecting() as log:
        assert overflowing(5) is None
    assert log.counts == {faults.BROKEN: 1}
    assert overflowing(5) is None  # outside collecting(): still no exception, nothing recorded
    faults.CONVERTERS.pop(f"{__name__}.{overflowing.__qualname__}", None)


def test_faults_give_one_warning_line_with_counts_and_a_first_example() -> None:
    with faults.collecting() as log:
        assert timeutil.from_iso("0001-01-01T00:00:00+01:00") is None
        assert timeutil.from_cocoa(1e300) is None
        assert timeutil.from_unix("yesterday") is None
        assert to_int("12abc") is None and to_float(math.nan) is None
        assert timeutil.from_cocoa(-100_000_000, IOS_FLOOR) is None  # 1997: no iPhone yet
    assert log.counts == {faults.TIME_RANGE: 2, faults.TIME_TEXT: 1, faults.NUMBER: 1, faults.NUMBER_RANGE: 1,
                          faults.TIME_EARLY: 1}
    [line] = log.warnings()
    assert "\n" not in line and line.startswith("6 stored value(s) could not be converted")
    assert "time out of range ×2 (e.g. '0001-01-01T00:00:00+01:00')" in line


# -- timestamps that cannot be true --------------------------------------------------------------


@pytest.mark.parametrize(("convert", "value"), [
    (timeutil.from_unix, 0), (timeutil.from_unix, -1), (timeutil.from_unix, "0"), (timeutil.from_unix, -1.0),
    (timeutil.from_unix_ms, -1), (timeutil.from_cocoa, 0), (timeutil.from_cocoa, -1), (timeutil.from_cocoa, 0.0),
    (timeutil.from_webkit, 0), (timeutil.from_webkit, -1), (timeutil.from_cocoa, 63113904000.0),  # distantFuture
    (timeutil.from_iso, "1970-01-01T00:00:00Z"), (timeutil.from_iso, "1969-12-31T23:59:59Z"),
    (timeutil.from_iso, "2001-01-01T00:00:00Z"), (timeutil.from_iso, "0001-01-01T00:00:00Z"),
    (timeutil.from_iso, "0001-01-01T00:00:00"), (timeutil.from_iso, "4001-01-01T00:00:00Z"),
])
def test_sentinels_are_empty_and_silent(convert: Any, value: object) -> None:
    with faults.collecting() as log:
        assert convert(value) is None
        assert convert(value, IOS_FLOOR) is None
    assert log.counts == {}


def test_plist_dates_that_are_a_stored_zero_are_empty() -> None:
    from spyscan.artifacts.ios._plist_values import when

    with faults.collecting() as log:
        assert when(datetime(2001, 1, 1)) is None
        assert when(datetime(2000, 12, 31, 23, 59, 59)) is None
        assert when(datetime(2024, 5, 1)) == datetime(2024, 5, 1, tzinfo=UTC)
    assert log.counts == {}


@pytest.mark.parametrize(("convert", "floor", "value"), [
    (timeutil.from_unix, timeutil.IOS_FLOOR, 1_000_000_000),  # 2001-09-09
    (timeutil.from_unix, timeutil.ANDROID_FLOOR, 1_190_000_000),  # 2007-09-17
    (timeutil.from_unix, timeutil.ANDROID_FLOOR, 5),  # a phone whose clock restarted at 1970
    (timeutil.from_cocoa, timeutil.IOS_FLOOR, 100_000_000),  # 2004
    (timeutil.from_webkit, timeutil.IOS_FLOOR, 12_000_000_000_000_000),  # 1981
    (timeutil.from_iso, timeutil.ANDROID_FLOOR, "2007-12-31T23:59:59Z"),
])
def test_times_before_the_platform_are_empty_and_noted(convert: Any, floor: datetime, value: object) -> None:
    assert convert(value) is not None  # without a floor the time is kept (file times, calendar events)
    with faults.collecting() as log:
        assert convert(value, floor) is None
    assert log.counts == {faults.TIME_EARLY: 1}


def test_ios_helpers_apply_the_iphone_floor_but_calendar_dates_keep_theirs() -> None:
    from spyscan.artifacts.ios._common import cocoa, unix, webkit

    assert cocoa(-100_000_000) is None and unix(900_000_000) is None and webkit(1) is None
    assert cocoa(-100_000_000, None) == datetime(1997, 10, 31, 14, 13, 20, tzinfo=UTC)
    assert cocoa(700_000_000) == datetime(2023, 3, 8, 20, 26, 40, tzinfo=UTC)


def test_device_local_times_that_leave_the_range_are_faults_not_crashes() -> None:
    from spyscan.artifacts.android.dumpsys_common import device_time
    from spyscan.evidence.android_time import DeviceClock

    east, west = DeviceClock.from_name("Asia/Tokyo"), DeviceClock.from_name("America/Los_Angeles")
    with faults.collecting() as log:
        assert device_time("0001-01-01 05:00:00", east) is None  # before year 1 once in UTC
        assert device_time("9999-12-31 23:59:59", west) is None  # after year 9999 once in UTC
        assert device_time("1970-01-01 09:00:00", east) is None  # a stored 0 shown in Tokyo time: a sentinel
    assert log.counts == {faults.TIME_RANGE: 2}


# -- the records keep the raw value of every converted time ------------------------------------------

# datetime fields that are derived from other fields (which keep their raw values), not converted
DERIVED = {
    ("AndroidSecurityPatch", "patch_date"): "from patch_level, which is the stored text",
    ("AndroidSecurityPatch", "reference"): "the acquisition date or the date of the check",
    ("BatteryHistoryEvent", "time"): "time_base_raw plus offset, both kept",
    ("LocationdClient", "first_time"): "the earliest of times (raw values in times_raw)",
    ("LocationdClient", "last_time"): "the latest of times (raw values in times_raw)",
    ("KeychainAnalyticsString", "time"): "never filled: no time column of these tables is read",
}


def test_every_converted_time_field_has_a_raw_field() -> None:
    missing = []
    for cls in record_types().values():
        if not cls.__module__.startswith("spyscan."):
            continue  # test doubles of other tests
        hints = typing.get_type_hints(cls)
        for name in cls.__struct_fields__:
            converted = "datetime" in str(hints[name]) and not name.endswith("_raw")
            if converted and f"{name}_raw" not in cls.__struct_fields__ and (cls.__name__, name) not in DERIVED:
                missing.append(f"{cls.__name__}.{name}")
    assert missing == []


def test_webkit_minus_one_and_zero_never_reach_the_timeline(tmp_path: Any) -> None:
    """Issue 19: ``-1``/``0`` in WebKit's observations gave 1969-12-31T23:59:59Z in the timeline."""
    from spyscan.artifacts.ios.webkit_resource_load_statistics import WebKitResourceLoadStatistics
    from spyscan.records.base import iter_timestamps
    from tests.ios_artifacts.fakes import FakeIOS, collect

    rls = "Library/WebKit/WebsiteData/ResourceLoadStatistics"
    ev = FakeIOS(tmp_path, mode="fs")
    ev.add_sqlite("x", f"{rls}/observations.db", [
        "CREATE TABLE ObservedDomains (domainID INTEGER PRIMARY KEY, registrableDomain TEXT, lastSeen REAL,"
        " hadUserInteraction INTEGER, mostRecentUserInteractionTime REAL)",
        "INSERT INTO ObservedDomains VALUES (1, 'never.example', -1, 1, 0)",
        "INSERT INTO ObservedDomains VALUES (2, 'seen.example', 1.6e9, 1, -1.0)",
    ], fs=f"private/var/mobile/Containers/Data/Application/1111-AAAA/{rls}/observations.db")
    with faults.collecting() as log:
        records, _ = collect(WebKitResourceLoadStatistics, ev)
    by_domain = {r.domain: r for r in records}
    never, seen = by_domain["never.example"], by_domain["seen.example"]
    assert never.last_seen is None and never.last_seen_raw == -1
    assert never.most_recent_user_interaction is None and never.most_recent_user_interaction_raw == 0
    assert seen.most_recent_user_interaction is None and seen.most_recent_user_interaction_raw == -1.0
    assert list(iter_timestamps(never)) == [] and [w for _, _, w in iter_timestamps(seen)] == [
        datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC)]
    assert log.counts == {}  # sentinels are "not set", not faults
