"""The timeline of the annex: the SVG chart and, for each high or critical detection, the events near it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.support import Translations
from markupsafe import Markup

from spyscan.detection.model import SEVERE, Severity
from spyscan.report import svg_timeline
from spyscan.report.cards import DetectionView
from spyscan.report.output_folder import OutputFolder
from spyscan.report.redact import inert
from spyscan.report.times import Clock
from spyscan.timeutil import from_iso, iso


@dataclass
class NearbyView:
    anchor: str
    label: str
    events: list[tuple[str, Any, str, Any, bool]]  # time, artifact, event, summary, is the detection's own time
    more: int


@dataclass
class TimelineView:
    chart: Markup | None
    note: str
    nearby: list[NearbyView]


def timeline_view(t: Translations, folder: OutputFolder, views: list[DetectionView], clock: Clock,
                  redacted: bool) -> TimelineView:
    markers = []
    for d, view in zip(folder.detections, views, strict=False):
        when = from_iso(d.timestamp) if d.timestamp else None
        if when is None:
            continue
        label = f"{view.severity_label} · {view.family or view.rule_title or d.kind} · {view.when}"
        markers.append(svg_timeline.Marker(when, d.artifact, d.severity.value, label, view.anchor))
    chart = svg_timeline.collect(folder.timeline, markers, counted=folder.chart_counts)
    if chart is None:
        return TimelineView(None, t.gettext("No timestamped event was found."), [])
    count = chart.events_in_window
    labels = svg_timeline.ChartLabels(
        title=t.gettext("Timeline of events around the detections") if not chart.whole_range
        else t.gettext("Timeline of all events"),
        other=t.gettext("other artifacts"),
        events=t.ngettext("%(num)d event shown", "%(num)d events shown", count) % {"num": count},
    )
    if chart.whole_range:
        note = t.gettext("No detection has a timestamp: the chart shows all events.")
    else:
        note = t.gettext("Events shortly before, between and after the timestamped detections. Coloured dots "
                         "are detections; grey bars are other events (darker: more events).")
    nearby = []
    for item in chart.nearby:
        if Severity(item.marker.severity) not in SEVERE:
            continue
        events = []
        for event in item.events:
            own = event.when == item.marker.when and event.artifact == item.marker.artifact
            summary = inert("—") if redacted else inert(event.summary, 200)
            events.append((clock.show(iso(event.when)), inert(event.artifact, 80), t.gettext(event.event), summary,
                           own))
        nearby.append(NearbyView(item.marker.anchor, item.marker.label, events, item.more))
    return TimelineView(svg_timeline.render_svg(chart, labels), note, nearby)
