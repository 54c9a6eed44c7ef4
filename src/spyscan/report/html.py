"""The human report: ``report.html`` (and PDF, and redacted copies) from an output folder.

Reads only the machine-readable outputs (``run.json``, ``detections.json``, ``timeline.csv``) and the
bundled feeds' ``MANIFEST.json``; renders one self-contained HTML file with Jinja2 (autoescape on),
translated with the gettext catalogs in ``locale/``. No resource is ever loaded from elsewhere: the
CSS and the script are inline and pinned by a Content-Security-Policy, the chart is inline SVG.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
import msgspec
from babel.support import Translations
from markupsafe import Markup, escape

from spyscan import __version__
from spyscan.detection.model import SEVERE, Detection, DetectionsFile, Severity
from spyscan.errors import UsageError
from spyscan.indicators.model import IndicatorFile
from spyscan.report import svg_timeline
from spyscan.report.i18n import gettext_for, resolve_lang
from spyscan.report.redact import InertText, Redactor, inert
from spyscan.report.runfile import RunInfo, read_run
from spyscan.report.terminal_text import (
    CLEAN,
    INCOMPLETE,
    REVIEW,
    TRACES,
    Verdict,
    caveat,
    headline,
    match_note,
    next_steps,
    present,
    severity_label,
    status_label,
)
from spyscan.report.triage_marks import TriageMark, triage_label
from spyscan.timeutil import from_iso, iso, utcnow
from spyscan.verdict import verdict_of

REPORT = "report.html"
REDACTED = "report-redacted.html"
TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_CARDS = 200
MAX_ROWS = 5000
MAX_INPUTS = 300
MAX_FIELDS = 30
VALUE_LIMIT = 300
_TECHNICAL_OBS = frozenset({"domain", "ip", "process", "file_path", "file_name", "md5", "sha1", "sha256", "app_id",
                            "cert_md5", "cert_sha1", "cert_sha256", "android_property", "profile_id"})
_OUTPUT_FILES = ("run.json", "detections.json", "timeline.csv", "detections_timeline.csv")


# --------------------------------------------------------------------------------------------
# reading the output folder


@dataclass
class OutputFolder:
    path: Path
    run: RunInfo
    detections: list[Detection]
    problems: list[str]  # outputs that were missing or unreadable
    timeline: Path | None
    chart_counts: svg_timeline.ChartCounts | None = None  # counted while the check wrote timeline.csv


def load_output(out: Path) -> OutputFolder:
    """Read an output folder; a missing ``run.json`` is an error, other missing files are reported."""
    run_path = out / "run.json"
    if not run_path.is_file():
        raise UsageError(f"{out} is not a spyscan output folder (run.json not found)")
    try:
        run = read_run(run_path)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise UsageError(f"{run_path} is not a readable spyscan run.json: {exc}") from None
    problems: list[str] = []
    detections: list[Detection] = []
    det_path = out / "detections.json"
    if det_path.is_file():
        try:
            detections = msgspec.json.decode(det_path.read_bytes(), type=DetectionsFile).detections
        except (OSError, msgspec.DecodeError, msgspec.ValidationError) as exc:
            problems.append(f"detections.json: {exc}")
    else:
        problems.append("detections.json")
    timeline = out / "timeline.csv"
    if not timeline.is_file():
        problems.append("timeline.csv")
    detections.sort(key=lambda d: (-d.severity.rank, d.timestamp or "~", d.artifact, d.id))
    return OutputFolder(out, run, detections, problems, timeline if timeline.is_file() else None)


# --------------------------------------------------------------------------------------------
# provenance of the indicator files: which public investigation an indicator comes from

MANIFEST = Path(__file__).resolve().parents[1] / "indicators" / "bundled" / "MANIFEST.json"
ORGANISATIONS = {
    "AmnestyTech": "Amnesty International Security Lab",
    "mvt-project": "Mobile Verification Toolkit (MVT) project",
    "AssoEchap": "Echap",
    "citizenlab": "Citizen Lab",
}
_DATE_IN_PATH = re.compile(r"(?<!\d)(\d{4}-\d{2}(?:[-_]\d{2})?)(?!\d)")


@dataclass(frozen=True)
class Provenance:
    organisation: str
    date: str
    feed: str
    reference: str  # repository and path of the published file
    stalkerware: bool


def _read_manifest(path: Path) -> list[dict[str, Any]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = doc.get("files") if isinstance(doc, dict) else None
    return [f for f in files if isinstance(f, dict)] if isinstance(files, list) else []


def provenances_for(files: list[IndicatorFile], manifest: Path = MANIFEST) -> dict[str, Provenance]:
    """Provenance of each indicator file of a run, from the bundled manifest (by SHA-256, then path)."""
    entries = _read_manifest(manifest)
    by_sha = {str(e.get("sha256")): e for e in entries}
    by_path = {str(e.get("local_path", "")).removeprefix("feeds/"): e for e in entries}
    found: dict[str, Provenance] = {}
    for item in files:
        entry = by_sha.get(item.sha256) or by_path.get(item.file.replace("\\", "/"))
        if entry is None:
            continue
        repository = str(entry.get("repository", ""))
        owner = repository.split("/", 1)[0]
        path_in_repo = str(entry.get("path_in_repository", ""))
        date = _DATE_IN_PATH.search(path_in_repo)
        found[item.file] = Provenance(
            organisation=ORGANISATIONS.get(owner, owner),
            date=date.group(1).replace("_", "-") if date else "",
            feed=str(entry.get("feed", "")),
            reference=f"{repository}/{path_in_repo}" if repository else path_in_repo,
            stalkerware="stalkerware" in (repository + path_in_repo).lower(),
        )
    return found


# --------------------------------------------------------------------------------------------
# what the template shows


@dataclass
class DetectionView:
    anchor: str
    severity: str
    severity_label: str
    kind: str
    artifact: str
    artifact_title: str
    when: str
    family: str
    matched: list[tuple[str, Any]]  # (label, value) pairs: what matched
    where: Any
    provenance: Provenance | None
    indicator_file: Any
    why: str
    match_note: str
    message: Any
    fields: list[tuple[str, Any]]
    more_fields: int
    triage: TriageView | None = None


@dataclass
class TriageView:
    state: str
    label: str
    by: Any  # who and when (empty in a redacted copy)
    note: Any  # the analyst's note (left out of a redacted copy)
    changed: bool


@dataclass
class ArtifactView:
    id: str
    title: Any
    status: str
    status_label: str
    records: int
    seconds: float
    error: Any
    warnings: list[Any]


@dataclass
class NearbyView:
    anchor: str
    label: str
    events: list[tuple[str, Any, Any, Any, bool]]  # time, artifact, event, summary, is the detection's own time
    more: int


@dataclass
class ReportContext:
    lang: str
    redacted: bool
    verdict: Verdict
    verdict_class: str
    headline: str
    caveat: str
    steps: list[str]
    incomplete_note: bool
    case: Any
    device_line: Any
    device: list[tuple[str, Any]]
    counts: list[tuple[str, str, int]]
    detections: list[DetectionView]
    cards: list[DetectionView]
    table_rows: list[DetectionView]
    families_present: list[str]
    chart: Markup | None
    chart_note: str
    nearby: list[NearbyView]
    artifacts: list[ArtifactView]
    not_checked: list[ArtifactView]
    problems: list[Any]
    run_errors: list[Any]
    unsupported: list[tuple[Any, Any, Any]]
    unsupported_total: int
    methodology: list[tuple[str, Any]]
    indicator_files: list[tuple[Any, str, int, Any, str, Provenance | None]]
    inputs: list[tuple[Any, int, str]]
    inputs_total: int
    outputs: list[tuple[str, str]]
    records_total: int
    generated: str


def fmt_time(value: str | None) -> str:
    when = from_iso(value) if value else None
    return when.strftime("%Y-%m-%d %H:%M:%S UTC") if when else "—"


def _display(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(_display(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


class _Shaper:
    """Turns evidence values into what the report shows: verbatim, or redacted for sharing."""

    def __init__(self, redactor: Redactor | None, input_root: str) -> None:
        self.redactor = redactor
        self.input_root = input_root

    def text(self, value: str) -> str:
        return value if self.redactor is None else self.redactor.scrub(value)

    def path(self, value: str) -> str:
        return value if self.redactor is None else self.redactor.path(value, self.input_root)

    def observable(self, obs_type: str, value: str, indicator_value: str | None) -> str:
        if self.redactor is None or obs_type in _TECHNICAL_OBS:
            return value
        if obs_type == "url":
            return self.redactor.url(value)
        if obs_type == "email" and indicator_value and value.casefold() == indicator_value.casefold():
            return value
        return self.redactor.token(value, "text" if obs_type == "text" else obs_type)

    def field(self, name: str, value: Any, keep: frozenset[str]) -> Any:
        return value if self.redactor is None else self.redactor.field_value(name, value, keep)


def _keep_values(d: Detection) -> frozenset[str]:
    keep: set[str] = set()
    if d.indicator is not None:
        keep.add(d.indicator.value)
    if d.observable is not None and d.observable.type in _TECHNICAL_OBS:
        keep.add(d.observable.value)
    return frozenset(keep)


def _learn_personal(folder: OutputFolder, redactor: Redactor) -> None:
    for d in folder.detections:
        redactor.learn(redactor.personal_values(d.record, _keep_values(d)))
    redactor.learn(v for k, v in folder.run.device.as_pairs().items() if redactor.device({k: v})[k] != v)


def _source_text(t: Translations, record: dict[str, Any]) -> str:
    source = record.get("source")
    if not isinstance(source, dict):
        return ""
    labels = {"table": t.gettext("table %(value)s"), "rowid": t.gettext("row %(value)s"),
              "line": t.gettext("line %(value)s"), "key": t.gettext("key %(value)s")}
    parts = [str(source.get("file", ""))]
    for key, label in labels.items():
        if source.get(key) is not None:
            parts.append(label % {"value": source[key]})
    return ", ".join(p for p in parts if p)


def _triage_view(t: Translations, mark: TriageMark | None, redacted: bool) -> TriageView | None:
    if mark is None:
        return None
    by = inert("") if redacted else inert(t.gettext("by %(analyst)s, %(when)s") % {
        "analyst": mark.analyst, "when": fmt_time(mark.at)}, 200)
    return TriageView(state=mark.state, label=triage_label(t, mark.state), by=by,
                      note=inert("") if redacted else inert(mark.note, 2000), changed=mark.changed)


def _detection_view(t: Translations, d: Detection, index: int, shaper: _Shaper, titles: dict[str, str],
                    provenances: dict[str, Provenance], triage: TriageMark | None = None) -> DetectionView:
    keep = _keep_values(d)
    matched: list[tuple[str, Any]] = []
    if d.observable is not None:
        matched.append((t.gettext("Found on the phone"), inert(
            f"{d.observable.type}: " + shaper.observable(d.observable.type, d.observable.value,
                                                         d.indicator.value if d.indicator else None),
            VALUE_LIMIT)))
    family = ""
    why = d.why or ""
    prov = None
    indicator_file: Any = ""
    if d.indicator is not None:
        matched.append((t.gettext("Indicator"), inert(f"{d.indicator.type} = {d.indicator.value}", VALUE_LIMIT)))
        matched.append((t.gettext("STIX id"), inert(d.indicator.stix_id, 120)))
        family = d.indicator.malware or t.gettext("unattributed")
        prov = provenances.get(d.indicator.file)
        indicator_file = inert(shaper.path(d.indicator.file), 200)
        why = t.gettext(
            "Researchers published this value as a trace of %(family)s. Finding it means the phone contacted, "
            "stored or ran something that investigators tied to this spyware. An expert should confirm it, "
            "but it must be taken seriously."
        ) % {"family": family}
    elif d.rule:
        matched.append((t.gettext("Rule"), inert(d.rule, 120)))
    fields: list[tuple[str, Any]] = [(t.gettext("record type"), inert(str(d.record.get("record_type", "")), 120))]
    names = [k for k in d.record if k not in ("source", "recovered", "record_type")]
    for name in names[:MAX_FIELDS]:
        value = d.record[name]
        if value is None or value == "" or value == []:
            continue
        fields.append((name, inert(_display(shaper.field(name, value, keep)), VALUE_LIMIT)))
    if d.record.get("recovered"):
        fields.append((t.gettext("recovered"), t.gettext("yes: this row came from a damaged database")))
    return DetectionView(
        anchor=f"det-{index}",
        severity=d.severity.value,
        severity_label=severity_label(t, d.severity.value),
        kind=d.kind,
        artifact=d.artifact,
        artifact_title=titles.get(d.artifact, d.artifact),
        when=fmt_time(d.timestamp),
        family=family,
        matched=matched,
        where=inert(shaper.text(_source_text(t, d.record)), VALUE_LIMIT),
        provenance=prov,
        indicator_file=indicator_file,
        why=why,
        match_note=match_note(t, d.match),
        message=inert(shaper.text(d.message), VALUE_LIMIT * 2),
        fields=fields,
        more_fields=max(0, len(names) - MAX_FIELDS),
        triage=_triage_view(t, triage, shaper.redactor is not None),
    )


def detection_views(run: RunInfo, detections: list[Detection], lang: str | None,
                    triage: Mapping[str, TriageMark] | None = None) -> list[DetectionView]:
    """The report's view of each detection (as in report.html, not redacted), for faces that show one."""
    t = gettext_for(resolve_lang(lang))
    titles = {aid: status.title or aid for aid, status in run.artifacts.items()}
    provenances = provenances_for(run.indicators)
    shaper = _Shaper(None, run.input)
    return [_detection_view(t, d, i, shaper, titles, provenances, (triage or {}).get(d.id))
            for i, d in enumerate(detections)]


def _device_line(device: dict[str, str], shaper: _Shaper) -> str:
    kept = {k: v for k, v in device.items()}
    if shaper.redactor is not None:
        kept = shaper.redactor.device(device)
    wanted = [v for k, v in kept.items() if any(w in k.lower() for w in ("model", "product", "version", "os"))
              and not v.startswith("[")]
    return " · ".join(wanted[:3])


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _chart(t: Translations, folder: OutputFolder, views: list[DetectionView]
           ) -> tuple[Markup | None, str, list[NearbyView]]:
    markers = []
    for d, view in zip(folder.detections, views, strict=False):
        when = from_iso(d.timestamp) if d.timestamp else None
        if when is None:
            continue
        label = f"{view.severity_label} · {view.family or d.rule or d.kind} · {view.when}"
        markers.append(svg_timeline.Marker(when, d.artifact, d.severity.value, label, view.anchor))
    chart = svg_timeline.collect(folder.timeline, markers, counted=folder.chart_counts)
    if chart is None:
        return None, t.gettext("No timestamped event was found."), []
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
    nearby = [_nearby_view(item, folder) for item in chart.nearby
              if Severity(item.marker.severity) in SEVERE]
    return svg_timeline.render_svg(chart, labels), note, nearby


def _nearby_view(item: svg_timeline.Nearby, folder: OutputFolder) -> NearbyView:
    events = []
    for event in item.events:
        own = event.when == item.marker.when and event.artifact == item.marker.artifact
        events.append((fmt_time(iso(event.when)), inert(event.artifact, 80), inert(event.event, 80),
                       inert(event.summary, 200), own))
    return NearbyView(item.marker.anchor, item.marker.label, events, item.more)


def build_context(folder: OutputFolder, lang: str, t: Translations, redactor: Redactor | None,
                  triage: Mapping[str, TriageMark] | None = None) -> ReportContext:
    """What the template shows; ``triage``: the current triage of detections by id (from the case store)."""
    run = folder.run
    shaper = _Shaper(redactor, run.input)
    if redactor is not None:
        _learn_personal(folder, redactor)
    provenances = provenances_for(run.indicators)
    titles = {aid: status.title or aid for aid, status in run.artifacts.items()}
    marks = triage or {}
    views = [_detection_view(t, d, i, shaper, titles, provenances, marks.get(d.id))
             for i, d in enumerate(folder.detections)]
    v = present(verdict_of(run, folder.detections), folder.detections, titles)
    stalkerware = any(p.stalkerware for d, p in ((d, provenances.get(d.indicator.file)) for d in folder.detections
                                                  if d.indicator and d.severity in SEVERE) if p)
    chart, chart_note, nearby = _chart(t, folder, views)
    if redactor is not None:
        for item in nearby:
            item.events = [(w, a, e, inert("—"), own) for w, a, e, _, own in item.events]
    artifacts = [
        ArtifactView(aid, inert(shaper.text(s.title or aid), 120), s.status, status_label(t, s.status), s.records,
                     s.seconds, inert(shaper.text(s.error), VALUE_LIMIT) if s.error else None,
                     [inert(shaper.text(w), VALUE_LIMIT) for w in s.warnings[:20]])
        for aid, s in sorted(run.artifacts.items())
    ]
    counts = [(s.value, severity_label(t, s.value), sum(1 for d in folder.detections if d.severity == s))
              for s in Severity]
    started, finished_at = from_iso(run.started), from_iso(run.finished)
    duration = _duration(started, finished_at)
    command = run.command if redactor is None else redactor.command(run.command, run.input)
    methodology: list[tuple[str, Any]] = [
        (t.gettext("Tool"), f"{run.tool} {run.version}"),
        (t.gettext("Report generated by"), f"spyscan {__version__}"),
        (t.gettext("Command"), inert(shlex.join(command), 600)),
        (t.gettext("Input kind"), inert(run.kind, 80)),
        (t.gettext("Input"), inert(shaper.path(run.input), 300)),
        (t.gettext("Started"), fmt_time(run.started)),
        (t.gettext("Finished"), fmt_time(run.finished)),
        (t.gettext("Duration"), duration),
        (t.gettext("Indicator set version"), inert(run.indicator_set_version or "—", 80)),
    ]
    if run.recheck_of:
        methodology.append((t.gettext("Re-check of"), inert(shaper.path(run.recheck_of), 300)))
    inputs_sorted = sorted(run.inputs, key=lambda i: (i.path != run.input, i.path))
    outputs = [(name, _sha256_file(folder.path / name)) for name in _OUTPUT_FILES if (folder.path / name).is_file()]
    device = shaper.redactor.device(run.device.as_pairs()) if shaper.redactor else run.device.as_pairs()
    families_present = sorted({view.family for view in views if view.family}, key=str.casefold)
    return ReportContext(
        lang=lang,
        redacted=redactor is not None,
        verdict=v,
        verdict_class={TRACES: "traces", REVIEW: "review", CLEAN: "clean", INCOMPLETE: "incomplete"}[v.state],
        headline=headline(t, v),
        caveat=caveat(t, v),
        steps=next_steps(t, v, stalkerware),
        incomplete_note=any(s.status not in ("ok",) for s in run.artifacts.values()) or bool(folder.problems),
        case=inert(folder.path.name if redactor is None else redactor.token(folder.path.name, "case"), 80),
        device_line=inert(_device_line(run.device.as_pairs(), shaper), 120),
        device=[(k, inert(val, 200)) for k, val in sorted(device.items())],
        counts=counts,
        detections=views,
        cards=views[:MAX_CARDS],
        table_rows=views[:MAX_ROWS],
        families_present=families_present,
        chart=chart,
        chart_note=chart_note,
        nearby=nearby,
        artifacts=artifacts,
        not_checked=[a for a in artifacts if a.status != "ok"],
        problems=[inert(p, 300) for p in folder.problems],
        run_errors=[inert(shaper.text(e), 600) for e in run.errors],
        unsupported=[(inert(shaper.path(u.file), 120), inert(u.stix_id, 80), inert(u.reason, 200))
                     for u in run.unsupported_indicators[:50]],
        unsupported_total=len(run.unsupported_indicators),
        methodology=methodology,
        indicator_files=[(inert(shaper.path(f.file), 200), f.source, f.count, inert(", ".join(f.families), 300),
                          f.sha256, provenances.get(f.file)) for f in run.indicators],
        inputs=[(inert(shaper.path(i.path), 300), i.size, i.sha256) for i in inputs_sorted[:MAX_INPUTS]],
        inputs_total=len(run.inputs),
        outputs=outputs,
        records_total=sum(s.records for s in run.artifacts.values()),
        generated=fmt_time(iso(utcnow())),
    )


def _duration(started: datetime | None, finished: datetime | None) -> str:
    if started is None or finished is None:
        return "—"
    seconds = max(0, int((finished - started).total_seconds()))
    return f"{seconds // 3600:d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


# --------------------------------------------------------------------------------------------
# rendering


def render_inert(value: Any) -> Markup:
    """Jinja filter: evidence text, escaped, with visible markers and a visible ellipsis when cut."""
    if isinstance(value, Markup):
        return value
    if not isinstance(value, InertText):
        value = inert("" if value is None else value, VALUE_LIMIT)
    out = []
    for text, is_marker in value.parts:
        out.append(Markup('<span class="ctl">{}</span>').format(text) if is_marker else escape(text))
    if value.omitted:
        out.append(Markup('<span class="cut" title="+{}">…</span>').format(value.omitted))
    return Markup("").join(out)


def _environment(t: Translations) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(t, newstyle=True)  # type: ignore[attr-defined]
    env.filters["ev"] = render_inert
    return env


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def report_csp() -> str:
    """The report's Content-Security-Policy: its own inline style and script (by hash), nothing else."""
    style = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    return (f"default-src 'none'; style-src '{_csp_hash(style)}'; script-src '{_csp_hash(script)}'; "
            "img-src data:; font-src data:; base-uri 'none'; form-action 'none'")


def render(folder: OutputFolder, lang: str | None = None, redactor: Redactor | None = None,
           triage: Mapping[str, TriageMark] | None = None) -> str:
    """The report as one HTML text; ``triage``: the current triage by detection id (shown with each one)."""
    code = resolve_lang(lang)
    t = gettext_for(code)
    env = _environment(t)
    context = build_context(folder, code, t, redactor, triage)
    style = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    csp = report_csp()
    return env.get_template("report.html").render(
        # our own package files, inlined verbatim and pinned by their CSP hashes
        r=context, style=Markup(style), script=Markup(script), csp=csp,  # noqa: S704
    )


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", errors="replace")
    return path


def write_reports(out: Path, lang: str | None = None, pdf: bool = False, redact: bool = False,
                  salt: bytes | None = None, chart_counts: svg_timeline.ChartCounts | None = None) -> list[Path]:
    """Write ``report.html`` (and ``report.pdf``, ``report-redacted.html/.pdf``); return the files written.

    ``chart_counts``: the timeline chart's counts made while ``timeline.csv`` was written (saves
    reading it again; ignored unless made for the same detection times).
    """
    out = Path(out)
    folder = load_output(out)
    folder.chart_counts = chart_counts
    written = [_write(out / REPORT, render(folder, lang))]
    if pdf:
        from spyscan.report.pdf import write_pdf

        written.append(write_pdf(written[0], out / "report.pdf"))
    if redact:
        redactor = Redactor(salt) if salt else Redactor()
        redacted = _write(out / REDACTED, render(folder, lang, redactor))
        written.append(redacted)
        if pdf:
            from spyscan.report.pdf import write_pdf

            written.append(write_pdf(redacted, out / "report-redacted.pdf"))
    return written
