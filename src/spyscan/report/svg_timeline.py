"""The timeline chart of the report: an SVG drawn at generation time (no script, no external resource).

``collect`` streams ``timeline.csv`` once (twice when there is no detection: the first pass finds the
time range), counts events per artifact lane and time bin, and keeps the events closest to each
detection. ``render_svg`` draws lanes of event density with the detections as coloured markers.
Memory stays bounded whatever the size of the timeline.
"""

from __future__ import annotations

import bisect
import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from markupsafe import Markup, escape

from spyscan.report.redact import inert_plain
from spyscan.timeutil import from_iso

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


def read_timeline(path: Path) -> Iterator[TimelineEvent]:
    """Rows of a spyscan timeline CSV; rows without a readable timestamp are skipped."""
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            return
        for row in reader:
            if len(row) < 6:
                continue
            when = from_iso(row[0])
            if when is None:
                continue
            yield TimelineEvent(when, *(_unguard(cell) for cell in row[1:6]))


def _range(path: Path) -> tuple[datetime, datetime, int] | None:
    first = last = None
    total = 0
    for event in read_timeline(path):
        total += 1
        if first is None or event.when < first:
            first = event.when
        if last is None or event.when > last:
            last = event.when
    return (first, last, total) if first is not None and last is not None else None


def collect(path: Path | None, markers: list[Marker], context: timedelta = timedelta(minutes=15),
            per_marker: int = 12, nearby_for: int = 30) -> Chart | None:
    """Bin the events of the chart window; None when there is nothing to draw."""
    markers = sorted(markers, key=lambda m: m.when)
    has_file = path is not None and path.is_file()
    whole = not markers
    if markers:
        pad = min(PAD_MAX, max(PAD_MIN, (markers[-1].when - markers[0].when) / 2))
        start, end = markers[0].when - pad, markers[-1].when + pad
    elif has_file and path is not None:
        found = _range(path)
        if found is None:
            return None
        start, end, _ = found
    else:
        return None
    if end - start < timedelta(hours=1):
        middle = start + (end - start) / 2
        start, end = middle - timedelta(minutes=30), middle + timedelta(minutes=30)
    span = (end - start).total_seconds()
    counts: dict[tuple[str, int], int] = {}
    nearby = [Nearby(m) for m in markers[:nearby_for]] if markers else []
    times = [n.marker.when for n in nearby]
    order = sorted(range(len(nearby)), key=lambda i: times[i])
    sorted_times = [times[i] for i in order]
    in_window = total = 0
    if has_file and path is not None:
        for event in read_timeline(path):
            total += 1
            if event.when < start or event.when > end:
                continue
            in_window += 1
            index = min(BINS - 1, int((event.when - start).total_seconds() / span * BINS))
            counts[(event.artifact, index)] = counts.get((event.artifact, index), 0) + 1
            if sorted_times:
                low = bisect.bisect_left(sorted_times, event.when - context)
                high = bisect.bisect_right(sorted_times, event.when + context)
                for position in range(low, high):
                    item = nearby[order[position]]
                    if len(item.events) < per_marker:
                        item.events.append(event)
                    else:
                        item.more += 1
    return Chart(start, end, counts, markers, in_window, total, nearby, whole)


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
