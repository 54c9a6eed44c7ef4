"""The human report: ``report.html`` (and PDF, and redacted copies) from an output folder.

Reads only the machine-readable outputs (``run.json``, ``detections.json``, ``timeline.csv``) and the
bundled feeds' ``MANIFEST.json``; renders one self-contained HTML file with Jinja2 (autoescape on),
translated with the gettext catalogs in ``locale/``. No resource is ever loaded from elsewhere: the
CSS and the script are inline and pinned by a Content-Security-Policy, the chart is inline SVG.

The page has two parts: a one-page summary for the person whose phone was checked (``summary.py``), and a
technical annex for experts (detection cards, timeline, what could not be checked, methodology). The parts
are built by ``context.py`` from ``cards``, ``unchecked``, ``coverage``, ``timeline_view`` and
``methodology``; ``shaping`` keeps evidence inert (and redacted in a shared copy), ``times`` shows times in
the phone's local time with UTC beside them.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import jinja2
from babel.support import Translations
from markupsafe import Markup

from spyscan.detection.model import Detection
from spyscan.report import svg_timeline
from spyscan.report.cards import DetectionView, detection_view
from spyscan.report.context import MAX_CARDS, MAX_ROWS, ReportContext, build_context
from spyscan.report.i18n import gettext_for, resolve_lang
from spyscan.report.output_folder import OutputFolder, load_output
from spyscan.report.provenance import MANIFEST, Provenance, provenances_for
from spyscan.report.redact import Redactor, inert
from spyscan.report.runfile import RunInfo
from spyscan.report.shaping import Shaper, render_inert
from spyscan.report.times import check_tz, clock_for, fmt_time
from spyscan.report.triage_marks import TriageMark
from spyscan.report.unchecked import part_title

REPORT = "report.html"
REDACTED = "report-redacted.html"
TEMPLATES = Path(__file__).resolve().parent / "templates"

__all__ = [
    "MANIFEST", "MAX_CARDS", "MAX_ROWS", "REDACTED", "REPORT", "OutputFolder", "Provenance", "ReportContext",
    "build_context", "detection_views", "fmt_time", "inert", "load_output", "provenances_for", "render",
    "render_inert", "report_csp", "template_environment", "write_reports",
]


def template_environment(t: Translations, templates: Path = TEMPLATES) -> jinja2.Environment:
    """Autoescaped, translated Jinja2 templates from ``templates``, with the ``ev`` filter for evidence text
    (the report's and the web app's pages)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
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


def _asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def report_csp() -> str:
    """The report's Content-Security-Policy: its own inline style and script (by hash), nothing else."""
    return (f"default-src 'none'; style-src '{_csp_hash(_asset('report.css'))}'; "
            f"script-src '{_csp_hash(_asset('report.js'))}'; img-src data:; font-src data:; base-uri 'none'; "
            "form-action 'none'")


def render(folder: OutputFolder, lang: str | None = None, redactor: Redactor | None = None,
           tz: str | None = None, triage: Mapping[str, TriageMark] | None = None) -> str:
    """The report as one HTML text, in ``lang`` (None: the language of the run, else the locale's);
    ``triage``: the current triage of detections by id, shown with each one (the case store's, handed over
    by the face that reads it)."""
    code = resolve_lang(lang or folder.run.lang)
    t = gettext_for(code)
    context = build_context(folder, code, t, redactor, tz if tz is not None else folder.run.tz, triage)
    return template_environment(t).get_template("report.html").render(
        # our own package files, inlined verbatim and pinned by their CSP hashes
        r=context, style=Markup(_asset("report.css")), script=Markup(_asset("report.js")),  # noqa: S704
        csp=report_csp(),
    )


def detection_views(run: RunInfo, detections: Sequence[Detection], lang: str | None,
                    triage: Mapping[str, TriageMark] | None = None) -> list[DetectionView]:
    """The report's view of each detection (as in report.html, not redacted), for faces that show one."""
    t = gettext_for(resolve_lang(lang or run.lang))
    titles = {aid: part_title(t, status.title, aid) for aid, status in run.artifacts.items()}
    shaper = Shaper(None, run.input)
    clock = clock_for(run.device, run.tz)
    provenances = provenances_for(run.indicators)
    return [detection_view(t, d, i, shaper, titles, provenances, clock, (triage or {}).get(d.id))
            for i, d in enumerate(detections)]


def owner_only_write(path: Path, data: bytes) -> Path:
    """Write ``path`` readable by its owner only (also over an existing file with wider permissions)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb", closefd=False) as fh:
            fh.write(data)
    finally:
        os.close(fd)
    return path


def _write(path: Path, text: str) -> Path:
    return owner_only_write(path, text.encode("utf-8", errors="replace"))


def _pdf(html_path: Path, pdf_path: Path) -> Path:
    from spyscan.report.pdf import render_document

    document = render_document(html_path.read_text(encoding="utf-8"))
    return owner_only_write(pdf_path, document.write_pdf())


def write_reports(out: Path, lang: str | None = None, pdf: bool = False, redact: bool = False,
                  salt: bytes | None = None, chart_counts: svg_timeline.ChartCounts | None = None,
                  tz: str | None = None) -> list[Path]:
    """Write ``report.html`` (and ``report.pdf``, ``report-redacted.html/.pdf``); return the files written.

    Every file is readable by its owner only. ``lang`` None keeps the language of the run (run.json
    ``lang``), else the locale's. ``chart_counts``: the timeline chart's counts made while ``timeline.csv``
    was written (saves reading it again; ignored unless made for the same detection times).
    """
    out = Path(out)
    check_tz(tz)
    folder = load_output(out)
    folder.chart_counts = chart_counts
    written = [_write(out / REPORT, render(folder, lang, tz=tz))]
    if pdf:
        written.append(_pdf(written[0], out / "report.pdf"))
    if redact:
        redactor = Redactor(salt) if salt else Redactor()
        redacted = _write(out / REDACTED, render(folder, lang, redactor, tz=tz))
        written.append(redacted)
        if pdf:
            written.append(_pdf(redacted, out / "report-redacted.pdf"))
    return written
