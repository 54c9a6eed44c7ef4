"""Helpers shared by the pages: the store of a request, form fields, errors, htmx redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from spyscan.cases.store import CaseStore
from spyscan.errors import SpyscanError
from spyscan.web.config import ServeConfig
from spyscan.web.jobs import JobManager
from spyscan.web.render import page, translations

T = TypeVar("T")


def config(request: Request) -> ServeConfig:
    value = request.app.state.config
    assert isinstance(value, ServeConfig)
    return value


def jobs(request: Request) -> JobManager:
    value = request.app.state.jobs
    assert isinstance(value, JobManager)
    return value


def open_store(request: Request) -> CaseStore:
    return CaseStore(config(request).store)


async def with_store(request: Request, work: Callable[[CaseStore], T]) -> T:
    """Run ``work`` with a connection to the case store, in a worker thread (SQLite blocks)."""

    def call() -> T:
        with open_store(request) as store:
            return work(store)

    return await run_in_threadpool(call)


def text_field(form: FormData, name: str, limit: int = 500) -> str:
    value = form.get(name)
    if value is None or isinstance(value, UploadFile):
        return ""
    return str(value)[:limit]


def hx_redirect(url: str) -> Response:
    """Tell htmx to load ``url`` (the answer to a form that created something)."""
    return Response(status_code=204, headers={"HX-Redirect": url})


def problem(request: Request, message: str, status: int = 400) -> HTMLResponse:
    """A one-line error in a fragment htmx shows where the form asked (``hx-target``)."""
    return page(request, "_problem.html", status=status, message=message,
                headers={"HX-Retarget": "#problem", "HX-Reswap": "innerHTML"})


def not_found(request: Request, what: str) -> HTMLResponse:
    t = translations(request)
    return page(request, "error.html", status=404, title=t.gettext("Not found"), message=what)


def spyscan_error(request: Request, exc: SpyscanError) -> HTMLResponse:
    return problem(request, str(exc), 400)


def int_param(request: Request, name: str) -> int:
    value = request.path_params[name]
    return int(value) if not isinstance(value, int) else value


Handler = Callable[[Request], Any]
