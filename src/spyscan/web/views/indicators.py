"""Indicators: the sets every check and hunt uses, with provenance and platform; validate and add a STIX2 file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from spyscan.errors import UsageError
from spyscan.indicators import bundled_set
from spyscan.indicators.added import PLATFORMS, add_bytes, validate_bytes
from spyscan.indicators.provenance import file_provenance
from spyscan.indicators.sources import load_indicator_set
from spyscan.timeutil import iso, utcnow
from spyscan.web.render import page, translations
from spyscan.web.views.common import problem, text_field

MAX_NAME = 200


@dataclass
class SetRow:
    source: str
    file: str
    provenance: str
    count: int
    families: tuple[str, ...]
    platforms: dict[str, int]  # indicators per platform they are scoped to ("any": not scoped)
    threat: str | None  # the feed's threat class, when it is a known public feed
    unsupported: int


@dataclass
class SetsPage:
    rows: list[SetRow]
    total: int
    version: str
    errors: list[str]


def _sets() -> SetsPage:
    loaded = load_indicator_set([], bundled=True, env=False)
    provenance = file_provenance()
    unsupported = Counter(u.file for u in loaded.unsupported)
    rows = [SetRow(source=f.source, file=f.file, provenance=provenance.get((f.source, f.file), ""), count=f.count,
                   families=f.families, platforms=f.platforms, threat=f.threat, unsupported=unsupported[f.file])
            for f in loaded.files]
    return SetsPage(rows=rows, total=len(loaded.indicators), version=bundled_set.set_version(), errors=loaded.errors)


async def indicators_page(request: Request) -> Response:
    data = await run_in_threadpool(_sets)
    return page(request, "indicators.html", s=data, platforms=PLATFORMS)


async def upload(request: Request) -> Response:
    """Validate an uploaded STIX2 file; with ``action=add`` and no problem, add it to the sets."""
    t = translations(request)
    form = await request.form(max_files=1, max_fields=5)
    item = form.get("file")
    if not isinstance(item, UploadFile):
        return problem(request, t.gettext("Choose a STIX2 file to upload."))
    name = (item.filename or "uploaded.stix2")[:MAX_NAME]
    data = await item.read()
    await item.close()
    platform = text_field(form, "platform", 20) or None
    if platform is not None and platform not in PLATFORMS:
        return problem(request, t.gettext("Unknown platform."))
    if text_field(form, "action", 20) == "add":
        try:
            result, added = await run_in_threadpool(add_bytes, data, name, platform, iso(utcnow()) or "")
        except UsageError as exc:
            return problem(request, str(exc))
    else:
        result, added = await run_in_threadpool(validate_bytes, data, name), None
    status = 200 if result.ok else 422
    return page(request, "_validation.html", status=status, v=result, added=added,
                headers={"HX-Retarget": "#validation", "HX-Reswap": "innerHTML"})


ROUTES = [
    Route("/indicators", indicators_page),
    Route("/indicators/upload", upload, methods=["POST"]),
]
