"""Hunts: re-check every stored run (or a case's) with the current indicators, optionally after a feed
update, and show only what is new, per case and device."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from spyscan.cases import hunt_log
from spyscan.cases.model import EvidenceChange, StoredDetection
from spyscan.cases.overview import case_by_id
from spyscan.cases.store import CaseStore
from spyscan.errors import UsageError
from spyscan.web.jobs import HuntJob
from spyscan.web.render import page, translations
from spyscan.web.views.checks import job_events
from spyscan.web.views.common import hx_redirect, int_param, jobs, not_found, problem, text_field, with_store


@dataclass
class DeviceNews:
    case: str
    case_id: int
    device: str
    findings: list[tuple[int, StoredDetection, list[EvidenceChange]]] = field(default_factory=list)


@dataclass
class HuntPage:
    info: hunt_log.HuntInfo
    checked: int
    devices: list[DeviceNews]
    problems: list[tuple[int, str, str, str, str]]  # run, case, device, status, message
    suppressed: int


def _hunt_page(store: CaseStore, hunt_id: int) -> HuntPage:
    info = hunt_log.get_hunt(store, hunt_id)
    entries = hunt_log.hunt_entries(store, hunt_id)
    devices: dict[tuple[str, str], DeviceNews] = {}
    problems = []
    for entry in entries:
        run = store.run(entry.run_id)
        if entry.status != "ok":
            problems.append((run.id, run.case, run.device, entry.status, entry.message))
        if not entry.new:
            continue
        news = devices.setdefault((run.case, run.device),
                                  DeviceNews(case=run.case, case_id=store.case(run.case).id, device=run.device))
        for detection in entry.new:
            news.findings.append((run.id, detection, entry.changed.get(detection.id, [])))
    return HuntPage(info=info, checked=len(entries), devices=sorted(devices.values(), key=lambda d: (d.case, d.device)),
                    problems=problems, suppressed=sum(e.suppressed for e in entries))


def _hunt_list(store: CaseStore) -> tuple[list[hunt_log.HuntInfo], list[tuple[int, str]]]:
    return list(reversed(hunt_log.hunts(store))), [(c.id, c.name) for c in store.cases()]


async def hunts_page(request: Request) -> Response:
    past, cases = await with_store(request, _hunt_list)
    running = [j for j in jobs(request).all() if isinstance(j, HuntJob)]
    return page(request, "hunts.html", past=past, cases=cases, jobs=running)


async def start_hunt(request: Request) -> Response:
    form = await request.form()
    scope = text_field(form, "case", 20)
    update = text_field(form, "update", 5) == "yes"
    case: str | None = None
    if scope and scope != "all":
        try:
            case_id = int(scope)
            case = (await with_store(request, lambda store: case_by_id(store, case_id))).name
        except (ValueError, UsageError):
            return problem(request, translations(request).gettext("Unknown case."))
    job = jobs(request).start_hunt(case, update)
    return hx_redirect(f"/hunts/jobs/{job.id}")


def _hunt_job(request: Request) -> HuntJob | None:
    job = jobs(request).get(int_param(request, "job_id"))
    return job if isinstance(job, HuntJob) else None


async def hunt_job_page(request: Request) -> Response:
    job = _hunt_job(request)
    if job is None:
        return not_found(request, "hunt")
    return page(request, "hunt_job.html", job=job)


async def hunt_job_events(request: Request) -> Response:
    job = _hunt_job(request)
    if job is None:
        return not_found(request, "hunt")
    return StreamingResponse(job_events(request, "_hunt_state.html", job), media_type="text/event-stream")


async def hunt_page(request: Request) -> Response:
    hunt_id = int_param(request, "hunt_id")
    try:
        data = await with_store(request, lambda store: _hunt_page(store, hunt_id))
    except UsageError:
        return not_found(request, f"hunt {hunt_id}")
    return page(request, "hunt.html", h=data)


ROUTES = [
    Route("/hunt", hunts_page),
    Route("/hunt", start_hunt, methods=["POST"]),
    Route("/hunts/jobs/{job_id:int}", hunt_job_page),
    Route("/hunts/jobs/{job_id:int}/events", hunt_job_events),
    Route("/hunts/{hunt_id:int}", hunt_page),
]
