"""Cases: the list with what needs attention, a new case, one case with its devices and runs, its exports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from spyscan.cases.export_misp import case_event
from spyscan.cases.export_stix import case_bundle
from spyscan.cases.model import StoredRun
from spyscan.cases.overview import CaseOverview, case_by_id, overviews, run_findings
from spyscan.cases.store import CaseStore, check_run_folder
from spyscan.cases.triage import current
from spyscan.errors import SpyscanError, UsageError
from spyscan.web.render import page
from spyscan.web.views.common import hx_redirect, int_param, not_found, spyscan_error, text_field, with_store
from spyscan.web.views.results import verdict_words


@dataclass
class RunRow:
    run: StoredRun
    folder: str  # ok, missing, changed
    headline: str
    verdict: str  # traces, review, clean, incomplete, "" when the folder cannot be read
    findings: int
    untriaged: int
    hunted: int


@dataclass
class CasePage:
    overview: CaseOverview
    devices: dict[str, list[RunRow]]


async def cases_page(request: Request) -> Response:
    items = await with_store(request, overviews)
    return page(request, "cases.html", cases=items)


async def create_case(request: Request) -> Response:
    form = await request.form()
    name = text_field(form, "name", 300)
    try:
        info = await with_store(request, lambda store: store.new_case(name))
    except SpyscanError as exc:
        return spyscan_error(request, exc)
    return hx_redirect(f"/cases/{info.id}")


def _case_page(store: CaseStore, case_id: int, lang: str) -> CasePage:
    from spyscan.cases.overview import overview

    info = case_by_id(store, case_id)
    triage = current(store, info.name)
    devices: dict[str, list[RunRow]] = {}
    for run in store.runs(info.name):
        findings = run_findings(store, run, triage)
        folder = check_run_folder(run.output, run.run_sha256).status
        headline, state = verdict_words(run, lang) if folder == "ok" else ("", "")
        devices.setdefault(run.device, []).append(RunRow(
            run=run, folder=folder, headline=headline, verdict=state, findings=len(findings),
            untriaged=sum(1 for f in findings if f.triage is None), hunted=sum(1 for f in findings if f.hunt),
        ))
    return CasePage(overview=overview(store, info), devices=devices)


async def case_page(request: Request) -> Response:
    from spyscan.web.render import lang_of

    case_id = int_param(request, "case_id")
    lang = lang_of(request)
    try:
        data = await with_store(request, lambda store: _case_page(store, case_id, lang))
    except UsageError:
        return not_found(request, f"case {case_id}")
    return page(request, "case.html", case=data.overview, devices=data.devices)


async def case_export(request: Request) -> Response:
    case_id = int_param(request, "case_id")
    fmt = request.path_params["fmt"]
    if fmt not in ("stix", "misp"):
        return not_found(request, fmt)

    def build(store: CaseStore) -> dict[str, Any]:
        info = case_by_id(store, case_id)
        return case_bundle(store, info.name) if fmt == "stix" else case_event(store, info.name)

    try:
        doc = await with_store(request, build)
    except UsageError:
        return not_found(request, f"case {case_id}")
    filename = f"case-{case_id}.{'stix' if fmt == 'stix' else 'misp'}.json"
    return Response(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


ROUTES = [
    Route("/", cases_page),
    Route("/cases", create_case, methods=["POST"]),
    Route("/cases/{case_id:int}", case_page),
    Route("/cases/{case_id:int}/export/{fmt}", case_export),
]
