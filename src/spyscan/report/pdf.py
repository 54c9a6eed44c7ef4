"""PDF rendering of the report with WeasyPrint (print CSS: A4 pages, running header, page numbers).

The HTML is rendered as it is written to disk; WeasyPrint runs no script, so the detections table
is printed in full. No URL is ever fetched: the fetcher refuses everything except inline ``data:``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from spyscan.errors import SpyscanError
from spyscan.texts import tr

log = logging.getLogger("spyscan")


def _offline_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]
        refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            self.refused.append(url[:200])
            raise ValueError("spyscan reports load no external resource")

    return OfflineFetcher(allowed_protocols=["data"])


def render_document(html_text: str) -> Any:
    """Lay the report out in pages (a ``weasyprint.Document``); no URL is fetched."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: pango/harfbuzz libraries missing
        raise SpyscanError(tr('PDF output needs WeasyPrint and its system libraries (pango): %(error)s',
                              error=exc)) from None
    fetcher = _offline_fetcher()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = HTML(string=html_text, base_url=None, url_fetcher=fetcher).render()
    if fetcher.refused:
        log.warning("PDF rendering: %d external resources refused", len(fetcher.refused))
    return document


def write_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Render ``html_path`` to ``pdf_path``; a missing system library is a one-line error."""
    render_document(html_path.read_text(encoding="utf-8")).write_pdf(pdf_path)
    return pdf_path
