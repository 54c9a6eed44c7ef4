"""Results of a stored run: the verdict, the report inside the app, its exports, each detection and its triage."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from spyscan.cases import triage as triage_mod
from spyscan.cases.model import StoredDetection, StoredRun
from spyscan.cases.overview import RunFinding, run_findings
from spyscan.cases.store import CaseStore, check_run_folder
from spyscan.detection.model import Detection
from spyscan.errors import SpyscanError, UsageError
from spyscan.report import html
from spyscan.report.i18n import gettext_for
from spyscan.report.redact import Redactor
from spyscan.report.terminal_text import caveat, headline, present
from spyscan.report.triage_marks import TriageMark
from spyscan.texts import tr
from spyscan.verdict import verdict_of
from spyscan.web.render import lang_of, page, session_of
from spyscan.web.views.common import int_param, not_found, problem, spyscan_error, text_field, with_store

EXPORTS = {
    "report.pdf": ("application/pdf", False, True),
    "report-redacted.html": ("text/html; charset=utf-8", True, False),
    "report-redacted.pdf": ("application/pdf", True, True),
}
_PDF_LOCK = threading.Lock()  # WeasyPrint lays out one document at a time


def run_words(folder: html.OutputFolder, lang: str) -> tuple[str, str, str]:
    """The run's verdict (``verdict_of``) worded as its report words it: (headline, caveat, state)."""
    t = gettext_for(lang)
    run = folder.run
    titles = {aid: t.gettext(s.title) if s.title else aid for aid, s in run.artifacts.items()}
    words = present(verdict_of(run, folder.detections), folder.detections, titles, run.indicators)
    return headline(t, words), caveat(t, words), words.state


def verdict_words(run: StoredRun, lang: str) -> tuple[str, str]:
    """The verdict of a stored run: (headline, state); empty when its folder cannot be read."""
    try:
        title, _, state = run_words(html.load_output(Path(run.output)), lang)
    except UsageError:
        return "", ""
    return title, state


def marks_for(store: CaseStore, run: StoredRun) -> dict[str, TriageMark]:
    """The current triage of the run's findings, as the report shows it."""
    marks = {}
    for det_id, entry in triage_mod.for_run(store, run).items():
        now = triage_mod.device_evidence(store, run, det_id)
        changed = now is not None and bool(triage_mod.evidence_changes(entry.evidence, now))
        marks[det_id] = TriageMark(state=entry.state, analyst=entry.analyst, at=entry.at, note=entry.note,
                                   changed=changed)
    return marks


@dataclass
class RunPage:
    run: StoredRun
    folder: str
    headline: str
    caveat: str
    state: str
    findings: list[RunFinding]
    marks: dict[str, TriageMark]
    found: dict[str, list[Any]]  # detection id -> the rule and what was found, as the report says them


def _run_page(store: CaseStore, run_id: int, lang: str) -> RunPage:
    run = store.run(run_id)
    folder_state = check_run_folder(run.output, run.run_sha256).status
    title, words, state = "", "", ""
    found: dict[str, Any] = {}
    if folder_state != "missing":
        folder = html.load_output(Path(run.output))
        title, words, state = run_words(folder, lang)
        views = html.detection_views(folder.run, folder.detections, lang)
        found = {d.id: [part for part in (view.rule_title, view.found) if part]
                 for d, view in zip(folder.detections, views, strict=True)}
    return RunPage(run=run, folder=folder_state, headline=title, caveat=words, state=state,
                   findings=run_findings(store, run), marks=marks_for(store, run), found=found)


async def run_page(request: Request) -> Response:
    run_id = int_param(request, "run_id")
    lang = lang_of(request)
    try:
        data = await with_store(request, lambda store: _run_page(store, run_id, lang))
    except UsageError:
        return not_found(request, f"run {run_id}")
    case_id = await with_store(request, lambda store: store.case(data.run.case).id)
    return page(request, "run.html", r=data, case_id=case_id)


def _render_report(store: CaseStore, run_id: int, lang: str, redacted: bool) -> str:
    run = store.run(run_id)
    folder = html.load_output(Path(run.output))
    return html.render(folder, lang, Redactor() if redacted else None, triage=marks_for(store, run))


async def report(request: Request) -> Response:
    """The run's report, rendered now in the chosen language with the current triage."""
    run_id = int_param(request, "run_id")
    lang = lang_of(request)
    try:
        text = await with_store(request, lambda store: _render_report(store, run_id, lang, False))
    except UsageError:
        return not_found(request, f"run {run_id}")
    # the report's own policy (its inline style and script, by hash), shown only inside this app, sandboxed
    csp = html.report_csp() + "; frame-ancestors 'self'; sandbox allow-scripts"
    return HTMLResponse(text, headers={"Content-Security-Policy": csp})


def _pdf(text: str) -> bytes:
    from spyscan.report.pdf import render_document

    with _PDF_LOCK:  # written to memory: no file is left anywhere
        data = render_document(text).write_pdf()
    assert isinstance(data, bytes)
    return data


async def export(request: Request) -> Response:
    run_id = int_param(request, "run_id")
    name = request.path_params["name"]
    if name not in EXPORTS:
        return not_found(request, name)
    media, redacted, pdf = EXPORTS[name]
    lang = lang_of(request)
    try:
        text = await with_store(request, lambda store: _render_report(store, run_id, lang, redacted))
        body: bytes | str = await run_in_threadpool(_pdf, text) if pdf else text
    except UsageError:
        return not_found(request, f"run {run_id}")
    except SpyscanError as exc:
        return spyscan_error(request, exc)
    filename = f"run-{run_id}-{lang}-{name}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if not pdf:
        headers["Content-Security-Policy"] = html.report_csp() + "; sandbox allow-scripts"
    return Response(body, media_type=media, headers=headers)


# ------------------------------------------------------------------------------- one detection


@dataclass
class DetectionPage:
    run: StoredRun
    case_id: int
    stored: StoredDetection
    view: Any  # html.DetectionView
    history: list[triage_mod.TriageEntry]
    hunt: int | None
    changes: list[Any]  # what changed since the current triage


def _as_detection(stored: StoredDetection) -> Detection:
    return msgspec.convert(msgspec.to_builtins(stored), Detection)


def _detection_page(store: CaseStore, run_id: int, detection_id: str, lang: str) -> DetectionPage:
    run = store.run(run_id)
    findings = {f.detection.id: f for f in run_findings(store, run)}
    finding = findings.get(detection_id)
    if finding is None:
        raise UsageError(tr("run %(run_id)s has no detection '%(detection_id)s'", run_id=run_id,
                            detection_id=detection_id))
    detection: Detection | None = None
    run_info = None
    try:
        folder = html.load_output(Path(run.output))
        run_info = folder.run
        detection = next((d for d in folder.detections if d.id == detection_id), None)
    except UsageError:
        pass
    if detection is None:  # found by a hunt (or the folder is gone): what the store kept
        detection = _as_detection(finding.detection)
    if run_info is None:
        from spyscan.report.runfile import RunInfo

        run_info = RunInfo(tool="", version="", command=[], started="", finished=None, kind=run.kind,
                           input=run.input, inputs=[], indicators=[], artifacts={}, detections={})
    marks = marks_for(store, run)
    view = html.detection_views(run_info, [detection], lang, marks)[0]
    history = triage_mod.history(store, run, detection_id)
    changes: list[Any] = []
    if history:
        now = triage_mod.device_evidence(store, run, detection_id)
        if now is not None:
            changes = triage_mod.evidence_changes(history[-1].evidence, now)
    return DetectionPage(run=run, case_id=store.case(run.case).id, stored=finding.detection, view=view,
                         history=history, hunt=finding.hunt, changes=changes)


async def detection_page(request: Request) -> Response:
    run_id = int_param(request, "run_id")
    detection_id = request.path_params["detection_id"]
    lang = lang_of(request)
    try:
        data = await with_store(request, lambda store: _detection_page(store, run_id, detection_id, lang))
    except UsageError:
        return not_found(request, f"run {run_id}, detection {detection_id}")
    return page(request, "detection.html", d=data, states=triage_mod.STATES,
                analyst=session_of(request).analyst)


async def triage(request: Request) -> Response:
    run_id = int_param(request, "run_id")
    detection_id = request.path_params["detection_id"]
    form = await request.form()
    state = text_field(form, "state", 40)
    note = text_field(form, "note", triage_mod.MAX_NOTE + 1)
    analyst = text_field(form, "analyst", triage_mod.MAX_ANALYST + 1)
    try:
        await with_store(request, lambda store: triage_mod.record(store, run_id, detection_id, state, note, analyst))
    except UsageError as exc:
        return problem(request, str(exc))
    session_of(request).analyst = " ".join(analyst.split())
    lang = lang_of(request)
    data = await with_store(request, lambda store: _detection_page(store, run_id, detection_id, lang))
    return page(request, "_triage.html", d=data, states=triage_mod.STATES, analyst=session_of(request).analyst,
                saved=True)


ROUTES = [
    Route("/runs/{run_id:int}", run_page),
    Route("/runs/{run_id:int}/report", report),
    Route("/runs/{run_id:int}/export/{name}", export),
    Route("/runs/{run_id:int}/detections/{detection_id}", detection_page),
    Route("/runs/{run_id:int}/detections/{detection_id}/triage", triage, methods=["POST"]),
]

__all__ = ["ROUTES", "verdict_words"]
