"""The report in a real browser (headless Chromium): no console error, no network request, content visible.

Skipped, with the reason, where Chromium or Playwright is not installed (Debian: apt-get install chromium).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spyscan.report import html
from tests.browser import launched_chromium
from tests.report import folders as f


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    yield from launched_chromium()


def _open(browser, report: Path, screenshot: Path | None = None):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    blocked: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    target = report.resolve().as_uri()

    def route(request_route, request) -> None:  # type: ignore[no-untyped-def]
        if request.url == target:
            request_route.continue_()
        else:
            blocked.append(request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(target)
    page.wait_for_load_state("load")
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=True)
    return page, errors, blocked


def test_report_in_headless_chromium(browser, built: f.Built) -> None:  # type: ignore[no-untyped-def]
    html.write_reports(built.out, lang="es", redact=True)
    shot = f.artifacts_dir() / "report-screenshot.png"
    page, errors, blocked = _open(browser, built.out / "report.html", shot)
    assert errors == []
    assert blocked == []
    assert page.locator("#verdict").is_visible()
    assert page.locator("#verdict h2").inner_text() == (
        "Se encontraron rastros de Pegasus (software espía mercenario) y TheTruthSpy (stalkerware)")
    assert page.locator("#det-table").is_visible()
    assert page.locator("#timeline-chart svg circle.det").count() == 2
    # the filter works: the script ran (no CSP violation) and hides rows
    assert page.locator("#filters").is_visible()
    page.select_option("#f-sev", "medium")
    assert page.locator("#det-table tbody tr:visible").count() == 1
    page.select_option("#f-sev", "")
    page.fill("#f-text", "TheTruthSpy")
    assert page.locator("#det-table tbody tr:visible").count() == 1
    assert page.locator("#f-count").inner_text() == "1"
    # nothing hostile ran: no dialog, the RLO is a marker
    assert page.evaluate("document.querySelectorAll('img, iframe').length") == 0
    assert "[U+202E]" in (page.locator("#det-0").text_content() or "")  # in the folded raw fields
    assert shot.is_file() and shot.stat().st_size > 10_000
    page.close()

    redacted, errors, blocked = _open(browser, built.out / "report-redacted.html")
    assert errors == [] and blocked == []
    assert redacted.locator("#redacted-banner").is_visible()
    assert f.PHONE not in redacted.content()
    redacted.close()


def test_a_request_would_be_seen(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The harness itself: a page that does load something is caught (so the zero above means something)."""
    page_file = tmp_path / "leaky.html"
    page_file.write_text('<html><body><img src="https://example.invalid/x.png"></body></html>', encoding="utf-8")
    page, _errors, blocked = _open(browser, page_file)
    assert blocked == ["https://example.invalid/x.png"]
    page.close()
