"""PDF: the same report laid out in A4 pages with a case/device header and page numbers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spyscan.report import html
from tests.report import folders as f

weasyprint = pytest.importorskip("weasyprint", reason="WeasyPrint (and its pango libraries) not installed")


def _texts(box: Any) -> Iterator[str]:
    from weasyprint.formatting_structure import boxes

    for item in box.descendants():
        if isinstance(item, boxes.TextBox):
            yield item.text


def test_pages_have_header_with_case_and_device_and_page_numbers(built: f.Built) -> None:
    from spyscan.report.pdf import render_document

    folder = html.load_output(built.out)
    document = render_document(html.render(folder, "es"))
    pages = document.pages
    assert len(pages) >= 3
    body_text = []
    for number, page in enumerate(pages, start=1):
        margins = {child.at_keyword: " ".join(_texts(child)) for child in page._page_box.children
                   if getattr(child, "at_keyword", None)}
        assert f"caso {f.CASE}" in margins["@top-center"] and "iPhone14,2" in margins["@top-center"]
        assert margins["@bottom-right"] == f"{number} / {len(pages)}"
        body_text.append(" ".join(_texts(page._page_box)))
    everything = " ".join(body_text)
    headline = "Se encontraron rastros de Pegasus (software espía mercenario) y TheTruthSpy (stalkerware)"
    assert headline in " ".join(body_text[:1])  # verdict first
    assert "Metodología" in everything and f.PEGASUS_SHA in everything.replace(" ", "")
    assert "alert(" in everything  # hostile text printed as text
    assert "Buscar" not in everything  # the interactive filter is not printed


def test_write_reports_with_pdf_writes_pdf_files(tmp_path: Path) -> None:
    out = f.write_folder(tmp_path / "case-002", detections=[], timeline=False).out
    written = html.write_reports(out, lang="en", pdf=True)
    assert [p.name for p in written] == ["report.html", "report.pdf"]
    data = (out / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") and len(data) > 5000
