"""Everything the report template shows, built from an output folder (``ReportContext``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timezone
from typing import Any

from babel.support import Translations

from spyscan.detection.model import Severity
from spyscan.report.cards import DetectionView, detection_view
from spyscan.report.coverage import coverage_of
from spyscan.report.i18n import say
from spyscan.report.methodology import Methodology, methodology
from spyscan.report.output_folder import OutputFolder
from spyscan.report.provenance import provenances_for
from spyscan.report.redact import Redactor, inert
from spyscan.report.shaping import TECHNICAL_OBS, Shaper, keep_values, observable_label
from spyscan.report.summary import SummaryView, summary_view
from spyscan.report.terminal_text import present, severity_label
from spyscan.report.timeline_view import TimelineView, timeline_view
from spyscan.report.times import Clock, clock_for, now_iso, offset_label
from spyscan.report.triage_marks import TriageMark
from spyscan.report.unchecked import Unchecked, part_title, unchecked
from spyscan.verdict import verdict_of

MAX_CARDS = 200
MAX_ROWS = 5000


@dataclass
class ReportContext:
    lang: str
    redacted: bool
    case: Any
    device_line: Any
    generated: str
    clock_note: str
    summary: SummaryView
    counts: list[tuple[str, str, int]]
    records_total: int
    artifacts_total: int
    detections_total: int
    cards: list[DetectionView]
    table_rows: list[DetectionView]
    timeline: TimelineView
    unchecked: Unchecked
    problems: list[Any]
    run_errors: list[Any]
    unsupported: list[tuple[Any, Any, Any]]
    unsupported_total: int
    methodology: Methodology


def clock_note(t: Translations, clock: Clock) -> str:
    if clock.zone is None:
        return t.gettext("All times are in UTC (Coordinated Universal Time): the acquisition does not say the "
                         "phone's time zone.")
    zone = offset_label(clock.zone.utcoffset(None)) if isinstance(clock.zone, timezone) else clock.name
    if clock.from_device:
        return t.gettext("Times are in the phone's local time (%(zone)s, as the acquisition gives it), followed by "
                         "UTC.") % {"zone": zone}
    return t.gettext("Times are in the time zone chosen for this report (%(zone)s), followed by UTC.") % {
        "zone": zone}


def _learn_personal(folder: OutputFolder, redactor: Redactor) -> None:
    for d in folder.detections:
        keep = keep_values(d)
        redactor.keep(keep)
    for d in folder.detections:  # values an indicator lists are public in the whole report, whatever the card
        keep = keep_values(d)
        redactor.learn(redactor.personal_values(d.record, keep))
        observed = d.observable
        if observed is not None and observed.type not in TECHNICAL_OBS and observed.type != "url" \
                and observed.value not in keep:
            redactor.learn([(observed.value, observable_label(observed.type))])
    redactor.learn((v, "device") for k, v in folder.run.device.as_pairs().items()
                   if redactor.device({k: v})[k] != v)


def device_line(folder: OutputFolder) -> str:
    return folder.run.device.label()


def build_context(folder: OutputFolder, lang: str, t: Translations, redactor: Redactor | None,
                  tz: str | None = None, triage: Mapping[str, TriageMark] | None = None) -> ReportContext:
    """What the template shows; ``triage``: the current triage of detections by id (from the case store)."""
    run = folder.run
    shaper = Shaper(redactor, run.input)
    if redactor is not None:
        _learn_personal(folder, redactor)
    clock = clock_for(run.device, tz)
    provenances = provenances_for(run.indicators)
    titles = {aid: part_title(t, status.title, aid) for aid, status in run.artifacts.items()}
    marks = triage or {}
    views = [detection_view(t, d, i, shaper, titles, provenances, clock, marks.get(d.id))
             for i, d in enumerate(folder.detections)]
    v = present(verdict_of(run, folder.detections), folder.detections, titles, run.indicators)
    coverage = coverage_of(run.kind, run.device.encrypted)
    parts = unchecked(t, run, shaper, coverage)
    counts = [(s.value, severity_label(t, s.value), sum(1 for d in folder.detections if d.severity == s))
              for s in Severity]
    return ReportContext(
        lang=lang,
        redacted=redactor is not None,
        case=inert(folder.path.name if redactor is None else redactor.token(folder.path.name, "case"), 80),
        device_line=inert(device_line(folder), 120),
        generated=clock.show(now_iso()),
        clock_note=clock_note(t, clock),
        summary=summary_view(t, v, run, folder.detections, coverage, parts, clock, shaper),
        counts=counts,
        records_total=sum(s.records for s in run.artifacts.values()),
        artifacts_total=len(run.artifacts),
        detections_total=len(views),
        cards=views[:MAX_CARDS],
        table_rows=views[:MAX_ROWS],
        timeline=timeline_view(t, folder, views, clock, redactor is not None),
        unchecked=parts,
        problems=[inert(p, 300) for p in folder.problems],
        run_errors=[inert(say(t, e, run.messages, shaper.text), 600) for e in run.errors],
        unsupported=[(inert(shaper.path(u.file), 120), inert(u.stix_id, 80), inert(u.reason, 200))
                     for u in run.unsupported_indicators[:50]],
        unsupported_total=len(run.unsupported_indicators),
        methodology=methodology(t, folder, shaper, clock, provenances),
    )
