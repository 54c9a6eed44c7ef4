"""The application: routes of every page, the vendored files, the language, and the guard in front."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from spyscan.report.i18n import LANGS, resolve_lang
from spyscan.web.config import ServeConfig
from spyscan.web.jobs import JobManager
from spyscan.web.render import session_of
from spyscan.web.security import Guard, Sessions
from spyscan.web.views import cases, checks, hunts, indicators, results
from spyscan.web.views.common import text_field

STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = {
    "htmx.min.js": "text/javascript; charset=utf-8",
    "htmx-sse.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    media = STATIC_FILES.get(name)
    if media is None:
        return Response("not found\n", status_code=404, media_type="text/plain")
    return Response((STATIC / name).read_bytes(), media_type=media)


async def set_lang(request: Request) -> Response:
    form = await request.form()
    lang = text_field(form, "lang", 10)
    if lang in LANGS:
        session_of(request).lang = lang
    return Response(status_code=204, headers={"HX-Refresh": "true"})


def create_app(config: ServeConfig, default_lang: str | None = None,
               sessions: Sessions | None = None) -> tuple[Guard, JobManager]:
    """The ASGI application for ``config`` (the guard wrapping the Starlette app) and its job manager."""
    manager = JobManager(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await run_in_threadpool(manager.shutdown)  # closing the server cancels its checks cleanly

    app = Starlette(
        routes=[
            *cases.ROUTES, *checks.ROUTES, *results.ROUTES, *hunts.ROUTES, *indicators.ROUTES,
            Route("/static/{name}", static),
            Route("/lang", set_lang, methods=["POST"]),
        ],
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.jobs = manager
    app.state.default_lang = resolve_lang(default_lang)
    return Guard(app, config, sessions or Sessions()), manager
