"""The timeline chart of the report: an SVG drawn at generation time (no script, no external resource).

``EventBinner`` counts events per artifact lane and time bin and keeps the events closest to each
detection, in one pass. A check runs it over the merged batches while it writes ``timeline.csv``
(``EventBinner.count_batch``, called by ``timeline.rows.write_merged``); ``collect`` uses that
result, or streams ``timeline.csv`` itself (twice when there is no detection: the first pass finds
the time range), e.g. for ``spyscan report``. ``render_svg`` draws lanes of event density with the
detections as coloured markers. Memory stays bounded whatever the size of the timeline.
"""

from __future__ import annotations

import bisect
import csv
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from markupsafe import Markup, escape

from spyscan.report.redact import inert_plain
from spyscan.timeline.rows import KEY_WIDTH, MergedBatch

BINS = 240
MAX_LANES = 10
WIDTH = 960
LEFT = 200
RIGHT = 16
LANE_H = 24
TOP = 8
AXIS_H = 34
PAD_MIN = timedelta(hours=12)
PAD_MAX = timedelta(days=3)
SEVERITY_COLOR = {"critical": "#8b0000", "high": "#c62828", "medium": "#e08600", "low": "#2e6fb7", "info": "#6b7785"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@dataclass(frozen=True)
class TimelineEvent:
    when: datetime
    artifact: str
    event: str
    record_type: str
    summary: str
    source: str


@dataclass(frozen=True)
class Marker:
    when: datetime
    artifact: str
    severity: str
    label: str  # tooltip: already safe to show (no personal data in redacted reports)
    anchor: str  # id of the detection's card in the report


@dataclass
class Nearby:
    """Events within ``context`` of one detection."""

    marker: Marker
    events: list[TimelineEvent] = field(default_factory=list)
    more: int = 0


@dataclass
class Chart:
    start: datetime
    end: datetime
    counts: dict[tuple[str, int], int]
    markers: list[Marker]
    events_in_window: int
    events_total: int
    nearby: list[Nearby]
    whole_range: bool  # True when the chart shows all events (no detection to centre on)


def _unguard(value: str) -> str:
    """Undo the CSV writer's formula guard (a leading quote before = + - @ ...)."""
    if value.startswith("'") and value[1:].startswith(_FORMULA):
        return value[1:]
    return value


def _scan(path: Path) -> Iterator[tuple[datetime, list[str]]]:
    """(time, raw row) of each row of a spyscan timeline CSV with a readable timestamp.

    This is the report's hot loop (a timeline can have millions of rows): the cells stay raw and
    guarded; only the rows the report shows are turned into events (``_event``).
    """
    parse = datetime.fromisoformat  # accepts the writer's "...Z" form (Python >= 3.11)
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        reader = csv.reader(fh)
        if next(reader, None) is None:
            return
        for row in reader:
            if len(row) < 6:
                continue
            try:
                when = parse(row[0])
            except ValueError:
                continue
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            elif when.utcoffset():
                when = when.astimezone(UTC)
            yield when, row


def _event(when: datetime, row: list[str]) -> TimelineEvent:
    return TimelineEvent(when, *(_unguard(cell) for cell in row[1:6]))


def _range(path: Path) -> tuple[datetime, datetime, int] | None:
    first = last = None
    total = 0
    for when, _row in _scan(path):
        total += 1
        if first is None or when < first:
            first = when
        if last is None or when > last:
            last = when
    return (first, last, total) if first is not None and last is not None else None


def _padded(start: datetime, end: datetime, pad: timedelta) -> tuple[datetime, datetime]:
    start, end = start - pad, end + pad
    if end - start < timedelta(hours=1):
        middle = start + (end - start) / 2
        start, end = middle - timedelta(minutes=30), middle + timedelta(minutes=30)
    return start, end


@dataclass
class ChartCounts:
    """The result of one pass over the events: what the chart and the "nearby events" lists need."""

    times: tuple[datetime, ...]  # the sorted marker times the pass was made for
    start: datetime
    end: datetime
    counts: dict[tuple[str, int], int]
    in_window: int
    total: int
    nearby_events: list[list[TimelineEvent]]
    more: list[int]


class EventBinner:
    """Counts events per (artifact, time bin) and keeps those near the first markers, in one pass."""

    def __init__(self, times: list[datetime], start: datetime, end: datetime, context: timedelta,
                 per_marker: int, nearby_for: int) -> None:
        self.times = tuple(times)
        self.start, self.end = start, end
        # the hot path works on POSIX seconds (floats keep microsecond order at these magnitudes)
        self.start_s, self.end_s = start.timestamp(), end.timestamp()
        self.scale = BINS / (self.end_s - self.start_s)
        self.context_s = context.total_seconds()
        self.per_marker = per_marker
        near = list(times[:nearby_for])  # sorted
        self.near_s = [t.timestamp() for t in near]
        self.near_low = self.near_s[0] - self.context_s if near else math.inf
        self.near_high = self.near_s[-1] + self.context_s if near else -math.inf
        self.events: list[list[TimelineEvent]] = [[] for _ in near]
        self.more = [0 for _ in near]
        self.counts: dict[tuple[str, int], int] = {}
        self.in_window = self.total = 0
        self._keys: _BinKeys | None = None

    @classmethod
    def for_markers(cls, times: list[datetime], context: timedelta = timedelta(minutes=15),
                    per_marker: int = 12, nearby_for: int = 30) -> EventBinner | None:
        """A binner for these detection times, or None when there is none (the whole range is shown)."""
        if not times:
            return None
        times = sorted(times)
        pad = min(PAD_MAX, max(PAD_MIN, (times[-1] - times[0]) / 2))
        start, end = _padded(times[0], times[-1], pad)
        return cls(times, start, end, context, per_marker, nearby_for)

    @classmethod
    def for_range(cls, first: datetime, last: datetime, context: timedelta = timedelta(minutes=15),
                  per_marker: int = 12, nearby_for: int = 30) -> EventBinner:
        """A binner over every event from ``first`` to ``last`` (no timestamped detection)."""
        start, end = _padded(first, last, timedelta(0))
        return cls([], start, end, context, per_marker, nearby_for)

    def add(self, when: datetime, row: list[str]) -> None:
        """One event, ``row`` its parsed cells (a check counts merged batches with ``count_batch``)."""
        self.total += 1
        at = when.timestamp()
        if at < self.start_s or at > self.end_s:
            return
        self.in_window += 1
        key = (_unguard(row[1]), self._bin_of(at))
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.near_low <= at <= self.near_high:
            self._keep_nearby(at, when, row)

    def _keep_nearby(self, at: float, when: datetime, row: list[str] | str) -> None:
        low = bisect.bisect_left(self.near_s, at - self.context_s)
        high = bisect.bisect_right(self.near_s, at + self.context_s)
        if low == high:
            return
        event = _event(when, row if isinstance(row, list) else _cells_of_line(row))
        for position in range(low, high):
            if len(self.events[position]) < self.per_marker:
                self.events[position].append(event)
            else:
                self.more[position] += 1

    def result(self) -> ChartCounts:
        return ChartCounts(self.times, self.start, self.end, self.counts, self.in_window, self.total,
                           self.events, self.more)

    def count_batch(self, batch: MergedBatch, lanes: Sequence[str]) -> None:
        """Count one batch of the merged timeline (``write_merged``): the same counts as ``add`` gives
        for each of its rows, found by bisection on the sorted keys instead of row by row.

        Every line of a part is of its lane's artifact and starts with its ``stamp_key``, a spyscan
        stamp to the microsecond (parts are written by ``TimelineSpool`` only). A row's bin follows
        from its key by comparison with the first key of each bin, which ``_bin_keys`` finds with the
        very formula ``add`` uses; only rows near a marker are parsed, to be kept as nearby events.
        """
        keys = self._bin_keys()
        start_key, after_key, firsts = keys.start, keys.after_end, keys.firsts
        counts = self.counts
        for part, lines in batch.slices:
            # rows whose time a reader cannot read (no time, "~", text) are not events of the chart; keys of
            # written times start with a digit, and those are contiguous in a sorted slice
            self.total += bisect.bisect_left(lines, ":") - bisect.bisect_left(lines, "0")
            low = bisect.bisect_left(lines, start_key)
            high = bisect.bisect_left(lines, after_key, low)
            if low == high:
                continue
            self.in_window += high - low
            lane = lanes[part]
            index = bisect.bisect_right(firsts, lines[low][:KEY_WIDTH]) - 1
            last = bisect.bisect_right(firsts, lines[high - 1][:KEY_WIDTH]) - 1
            at = low
            while index <= last:
                upto = high if index == last else bisect.bisect_left(lines, firsts[index + 1], at, high)
                if upto > at:
                    key = (lane, index)
                    counts[key] = counts.get(key, 0) + upto - at
                at = upto
                index += 1
        if keys.near:
            self._keep_nearby_of(batch.lines, keys.near)

    def _keep_nearby_of(self, lines: list[str], zones: list[tuple[str, str]]) -> None:
        parse = datetime.fromisoformat
        for first, last in zones:
            low = bisect.bisect_left(lines, first)
            high = bisect.bisect_right(lines, last, low)
            for keyed in lines[low:high]:
                line = keyed[KEY_WIDTH:]
                when = parse(line[:line.index(",")])
                at = when.timestamp()
                if self.start_s <= at <= self.end_s and self.near_low <= at <= self.near_high:
                    self._keep_nearby(at, when, line)

    def _bin_keys(self) -> _BinKeys:
        if self._keys is None:
            self._keys = _BinKeys(
                start=_key_of(_first_micro(lambda us: us / 1_000_000 >= self.start_s, self.start_s)),
                after_end=_key_of(_first_micro(lambda us: us / 1_000_000 > self.end_s, self.end_s)),
                firsts=[_key_of(_first_micro(self._in_bin_or_later(i), self.start_s + i / self.scale))
                        for i in range(BINS)],
                near=self._near_key_zones(),
            )
        return self._keys

    def _in_bin_or_later(self, index: int) -> Callable[[int], bool]:
        return lambda us: self._bin_of(us / 1_000_000) >= index

    def _near_key_zones(self) -> list[tuple[str, str]]:
        """Key ranges holding every instant near a kept marker (a second wider each side), merged."""
        zones: list[tuple[str, str]] = []
        for at in self.near_s:
            first = _key_of(math.floor((at - self.context_s - 1) * 1_000_000))
            last = _key_of(math.ceil((at + self.context_s + 1) * 1_000_000)) + "~"
            if zones and first <= zones[-1][1]:
                zones[-1] = (zones[-1][0], max(last, zones[-1][1]))
            else:
                zones.append((first, last))
        return zones

    def _bin_of(self, at: float) -> int:
        index = int((at - self.start_s) * self.scale)
        return index if index < BINS - 1 else BINS - 1


@dataclass(frozen=True)
class _BinKeys:
    """Stamp keys (see ``stamp_key``) that split sorted timeline lines as ``EventBinner.add`` would."""

    start: str  # the first key inside the window
    after_end: str  # the first key after it
    firsts: list[str]  # firsts[i]: the first key whose instant falls in bin i (or later)
    near: list[tuple[str, str]]  # key ranges of the instants near a kept marker


_EPOCH_NAIVE = datetime(1970, 1, 1)
_MIN_MICRO = round((datetime.min - _EPOCH_NAIVE).total_seconds()) * 1_000_000
_MAX_MICRO = round((datetime.max - _EPOCH_NAIVE).total_seconds()) * 1_000_000 + 999_999


def _first_micro(reached: Callable[[int], bool], near: float) -> int:
    """The first POSIX microsecond (an int; ``datetime.timestamp()`` gives ``us / 10**6`` for it) at
    which the monotonic ``reached`` holds, searched from ``near`` seconds (float error: a few us)."""
    start = min(max(math.floor(near * 1_000_000), _MIN_MICRO), _MAX_MICRO)
    step = 1
    if reached(start):
        high, low = start, start - 1
        while low >= _MIN_MICRO and reached(low):
            high, low, step = low, low - step, step * 2
        low = max(low, _MIN_MICRO - 1)
    else:
        low, high = start, start + 1
        while high <= _MAX_MICRO and not reached(high):
            low, high, step = high, high + step, step * 2
        high = min(high, _MAX_MICRO + 1)
    while high - low > 1:  # low does not hold (or is below the range), high holds (or is above it)
        middle = (low + high) // 2
        if reached(middle):
            high = middle
        else:
            low = middle
    return high


def _key_of(us: int) -> str:
    """The ``stamp_key`` of POSIX microsecond ``us``; outside datetime's range, a text that sorts
    before (``""``) or after (``"~"``) every key."""
    if us < _MIN_MICRO:
        return ""
    if us > _MAX_MICRO:
        return "~"
    return (_EPOCH_NAIVE + timedelta(microseconds=us)).isoformat(timespec="microseconds")


def _cells_of_line(line: str) -> list[str]:
    return next(csv.reader([line]), [])


def collect(path: Path | None, markers: list[Marker], context: timedelta = timedelta(minutes=15),
            per_marker: int = 12, nearby_for: int = 30, counted: ChartCounts | None = None) -> Chart | None:
    """Bin the events of the chart window; None when there is nothing to draw.

    ``counted``: the result of a pass made while the timeline was written, used instead of reading
    ``path`` again when it was made for the same detection times.
    """
    markers = sorted(markers, key=lambda m: m.when)
    has_file = path is not None and path.is_file()
    times = [m.when for m in markers]
    if counted is None or counted.times != tuple(times):
        counted = None
        binner = EventBinner.for_markers(times, context, per_marker, nearby_for)
        if binner is None:  # no timestamped detection: the whole range of the events
            found = _range(path) if has_file and path is not None else None
            if found is None:
                return None
            binner = EventBinner.for_range(found[0], found[1], context, per_marker, nearby_for)
        if has_file and path is not None:
            for when, row in _scan(path):
                binner.add(when, row)
        counted = binner.result()
    nearby = [Nearby(m, events, more) for m, events, more in
              zip(markers[:nearby_for], counted.nearby_events, counted.more, strict=False)]
    return Chart(counted.start, counted.end, counted.counts, markers, counted.in_window, counted.total, nearby,
                 not markers)


@dataclass(frozen=True)
class ChartLabels:
    title: str
    other: str
    events: str  # "%(count)s events" style, already translated with the count applied by the caller


def _lanes(chart: Chart) -> tuple[list[str], bool]:
    totals: dict[str, int] = {}
    for (artifact, _), count in chart.counts.items():
        totals[artifact] = totals.get(artifact, 0) + count
    wanted = list(dict.fromkeys(m.artifact for m in chart.markers))
    ranked = [a for a, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0])) if a not in wanted]
    lanes = (wanted + ranked)[:MAX_LANES]
    overflow = len(set(wanted) | set(totals)) > len(lanes)
    return lanes, overflow


def _tick_format(span: timedelta) -> str:
    if span <= timedelta(days=2):
        return "%m-%d %H:%M"
    return "%Y-%m-%d"


def render_svg(chart: Chart, labels: ChartLabels) -> Markup:
    lanes, overflow = _lanes(chart)
    names = [*lanes, labels.other] if overflow else lanes
    lane_of = {name: i for i, name in enumerate(lanes)}
    other_index = len(lanes) if overflow else None
    height = TOP + max(1, len(names)) * LANE_H + AXIS_H
    plot_w = WIDTH - LEFT - RIGHT
    bin_w = plot_w / BINS
    span = (chart.end - chart.start).total_seconds()
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(labels.title)}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(labels.title)}</title>",
    ]
    for i, name in enumerate(names):
        y = TOP + i * LANE_H
        fill = "#f3f5f8" if i % 2 == 0 else "#ffffff"
        parts.append(f'<rect x="0" y="{y}" width="{WIDTH}" height="{LANE_H}" fill="{fill}"/>')
        parts.append(f'<text x="6" y="{y + 16}" fill="#223">{escape(inert_plain(name, 30))}</text>')
    merged: dict[tuple[int, int], int] = {}
    for (artifact, index), count in chart.counts.items():
        lane = lane_of.get(artifact, other_index)
        if lane is None:
            continue
        merged[(lane, index)] = merged.get((lane, index), 0) + count
    peak = max(merged.values(), default=1)
    for (lane, index), count in sorted(merged.items()):
        opacity: float = 0.25 + 0.75 * math.log(count + 1) / math.log(peak + 1) if peak > 0 else 1
        x = LEFT + index * bin_w
        parts.append(
            f'<rect class="ev" x="{x:.1f}" y="{TOP + lane * LANE_H + 6}" width="{max(bin_w, 1.5):.1f}" height="12" '
            f'fill="#4a5b70" fill-opacity="{opacity:.2f}"><title>{count}</title></rect>'
        )
    plot_bottom = TOP + max(1, len(names)) * LANE_H
    for marker in chart.markers:
        x = LEFT + (marker.when - chart.start).total_seconds() / span * plot_w
        lane = lane_of.get(marker.artifact, other_index or 0)
        cy = TOP + lane * LANE_H + LANE_H / 2
        color = SEVERITY_COLOR.get(marker.severity, "#444")
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{plot_bottom}" stroke="{color}" '
                     f'stroke-opacity="0.35" stroke-dasharray="3 3"/>')
        parts.append(
            f'<a href="#{escape(marker.anchor)}"><circle class="det" cx="{x:.1f}" cy="{cy:.1f}" r="6" fill="{color}" '
            f'stroke="#fff" stroke-width="1.5"><title>{escape(marker.label)}</title></circle></a>'
        )
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{plot_bottom}" y2="{plot_bottom}" stroke="#223"/>')
    fmt = _tick_format(chart.end - chart.start)
    for i in range(6):
        when = chart.start + (chart.end - chart.start) * (i / 5)
        x = LEFT + plot_w * i / 5
        anchor = "start" if i == 0 else ("end" if i == 5 else "middle")
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{plot_bottom}" y2="{plot_bottom + 5}" stroke="#223"/>')
        parts.append(f'<text x="{x:.1f}" y="{plot_bottom + 18}" text-anchor="{anchor}" fill="#223">'
                     f"{escape(when.strftime(fmt))}</text>")
    parts.append(f'<text x="{WIDTH - RIGHT}" y="{plot_bottom + 31}" text-anchor="end" fill="#556">'
                 f"{escape(labels.events)} · UTC</text>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute above is escaped
