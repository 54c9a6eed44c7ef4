"""New checks: the file browser (inside the allowed folders only), the kind, the password when the
input is encrypted, and the live progress of each check (server-sent events)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from spyscan.cases.overview import case_by_id
from spyscan.errors import SpyscanError, UsageError
from spyscan.kinds import RESULTS_KIND, all_kinds, check_kind, detect_kind
from spyscan.web.jobs import PASSWORD, CheckJob, Job
from spyscan.web.render import environment, lang_of, page, session_of, translations
from spyscan.web.roots import OutsideRoots, Roots
from spyscan.web.views.common import (
    config,
    hx_redirect,
    int_param,
    jobs,
    not_found,
    problem,
    text_field,
    with_store,
)

MAX_LABEL = 200
SSE_TICK = 0.25  # seconds between looks at a job's state


def roots(request: Request) -> Roots:
    return Roots(config(request).roots)


def kinds() -> list[tuple[str, str]]:
    return sorted((name, cls.label) for name, cls in all_kinds().items())


async def new_check(request: Request) -> Response:
    case_id = int_param(request, "case_id")
    try:
        info = await with_store(request, lambda store: case_by_id(store, case_id))
    except UsageError:
        return not_found(request, f"case {case_id}")
    return page(request, "check_new.html", case=info, roots=[str(r) for r in roots(request).roots], kinds=kinds())


async def browse(request: Request) -> Response:
    """A folder's entries (a fragment); refused outside the allowed folders."""
    value = request.query_params.get("path", "")
    allowed = roots(request)
    if not value:
        return page(request, "_browse.html", listing=None, roots=[str(r) for r in allowed.roots])
    try:
        listing = await run_in_threadpool(allowed.list, value)
    except (OutsideRoots, OSError):
        return page(request, "_problem.html", status=403,
                    message=translations(request).gettext("This folder is outside the folders this server may show."))
    return page(request, "_browse.html", listing=listing, roots=[str(r) for r in allowed.roots])


def _detect(allowed: Roots, value: str, kind: str | None) -> tuple[str, str]:
    path = allowed.resolve(value)
    found = check_kind(path, kind) if kind else detect_kind(path)
    label = "" if found == RESULTS_KIND else all_kinds()[found].label
    return found, label


async def detect(request: Request) -> Response:
    """The kind of the chosen input, as ``spyscan check`` would detect it (a fragment)."""
    value = request.query_params.get("path", "")
    kind = request.query_params.get("kind") or None
    try:
        found, label = await run_in_threadpool(_detect, roots(request), value, kind)
    except OutsideRoots:
        return page(request, "_problem.html", status=403,
                    message=translations(request).gettext("This path is outside the folders this server may show."))
    except SpyscanError as exc:
        return page(request, "_detected.html", path=value, kind=None, label="", error=str(exc))
    return page(request, "_detected.html", path=value, kind=found, label=label, error="")


async def start_check(request: Request) -> Response:
    case_id = int_param(request, "case_id")
    form = await request.form()
    t = translations(request)
    value = text_field(form, "path", 4096)
    kind = text_field(form, "kind", 60) or None
    device = " ".join(text_field(form, "device", MAX_LABEL + 1).split())
    person = " ".join(text_field(form, "person", 60).split()) or None
    password = text_field(form, "password", 1024) or None
    if kind is not None and kind not in all_kinds() and kind != RESULTS_KIND:
        return problem(request, t.gettext("Unknown kind of acquisition."))
    if not device or len(device) > MAX_LABEL:
        return problem(request, t.gettext("Give the device a label (for example its owner's pseudonym and model)."))
    try:
        path = roots(request).resolve(value)
    except OutsideRoots:
        return problem(request, t.gettext("Choose an acquisition inside the allowed folders."), 403)
    try:
        info = await with_store(request, lambda store: case_by_id(store, case_id))
    except UsageError:
        return not_found(request, f"case {case_id}")
    job = jobs(request).start_check(info.id, info.name, device, person, path, kind, password, lang_of(request))
    del password
    return hx_redirect(f"/checks/{job.id}")


async def retry_with_password(request: Request) -> Response:
    """The same check again, with the password the form asked for (it is handed to the runner only)."""
    job = _check_job(request)
    if job is None:
        return not_found(request, "check")
    form = await request.form()
    password = text_field(form, "password", 1024)
    if job.state != PASSWORD or not password:
        return problem(request, translations(request).gettext("Enter the password."))
    new = jobs(request).start_check(job.case_id, job.case, job.device, job.person, Path(job.input),
                                    job.input_kind, password, lang_of(request))
    del password
    job.replaced_by = new.id
    return hx_redirect(f"/checks/{new.id}")


def _check_job(request: Request) -> CheckJob | None:
    job = jobs(request).get(int_param(request, "job_id"))
    return job if isinstance(job, CheckJob) else None


async def check_page(request: Request) -> Response:
    job = _check_job(request)
    if job is None:
        return not_found(request, "check")
    return page(request, "check.html", job=job)


async def checks_page(request: Request) -> Response:
    return page(request, "checks.html", jobs=jobs(request).all())


async def cancel(request: Request) -> Response:
    job = jobs(request).get(int_param(request, "job_id"))
    if job is None:
        return not_found(request, "job")
    jobs(request).cancel(job.id)
    return Response(status_code=204)


def _sse(event: str, html: str) -> bytes:
    lines = "".join(f"data: {line}\n" for line in html.splitlines() or [""])
    return f"event: {event}\n{lines}\n".encode()


async def job_events(request: Request, template: str, job: Job) -> AsyncIterator[bytes]:
    """Server-sent events: the job's state fragment each time it changes, then ``done`` once."""
    manager = jobs(request)
    lang = lang_of(request)
    csrf = session_of(request).csrf
    env = environment(lang)
    seen = -1
    while not manager.stopping.is_set():
        if job.version != seen:
            with job.lock:
                seen = job.version
                html = env.get_template(template).render(job=job, lang=lang, csrf=csrf)
                finished = job.finished
            yield _sse("done" if finished else "state", html)
            if finished:
                break
        await anyio.sleep(SSE_TICK)
    # the page closes the stream on "done"; keep it open until then so that it never reconnects
    while not manager.stopping.is_set() and not await request.is_disconnected():
        await anyio.sleep(SSE_TICK)


async def check_events(request: Request) -> Response:
    job = _check_job(request)
    if job is None:
        return not_found(request, "check")
    return StreamingResponse(job_events(request, "_check_state.html", job), media_type="text/event-stream",
                             headers={"X-Accel-Buffering": "no"})


ROUTES = [
    Route("/cases/{case_id:int}/check", new_check),
    Route("/cases/{case_id:int}/check", start_check, methods=["POST"]),
    Route("/browse", browse),
    Route("/detect", detect),
    Route("/checks", checks_page),
    Route("/checks/{job_id:int}", check_page),
    Route("/checks/{job_id:int}/events", check_events),
    Route("/checks/{job_id:int}/password", retry_with_password, methods=["POST"]),
    Route("/jobs/{job_id:int}/cancel", cancel, methods=["POST"]),
]
