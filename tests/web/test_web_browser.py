"""The workbench in a real browser (headless Chromium driven by Playwright) against a real `spyscan serve`.

A person's path: create a case, check a generated acquisition with a planted public indicator and
watch it finish, open the detection, confirm it with a note, see the triage in the report, switch
language, download the PDF, add an indicator file and hunt: exactly the new finding shows. No
console error, and no request leaves the machine (every request is intercepted and checked).
Skipped, with the reason, where Chromium or Playwright is not installed (Debian: apt-get install chromium).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spyscan.demo import PLANTED_APP_ID, write_androidqf_sample
from tests.browser import launched_chromium
from tests.report.folders import artifacts_dir
from tests.web import live
from tests.web.conftest import NEW_APK, stix_file, user_env

SCREENSHOT = "web-workbench.png"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


class Watch:
    """Every console error and every request that would leave this server, in all frames of a page."""

    def __init__(self, context: Any, origin: str) -> None:
        self.origin = origin
        self.errors: list[str] = []
        self.left: list[str] = []
        context.route("**/*", self._route)

    def _route(self, route: Any, request: Any) -> None:
        if request.url.startswith(self.origin + "/"):
            route.continue_()
        else:
            self.left.append(request.url)
            route.abort()

    def page(self, context: Any) -> Any:
        page = context.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        return page


def test_the_workbench_end_to_end(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    base = tmp_path_factory.mktemp("browser")
    root = base / "acquisitions"
    write_androidqf_sample(root / "phone-maria")
    feed = stix_file(base / "new-investigation.stix2", "NewSpy", [("61", f"[file:hashes.sha256 = '{NEW_APK}']")])
    server = live.start(base, [root], env=user_env(base))
    origin = f"http://127.0.0.1:{server.port}"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    watch = Watch(context, origin)
    page = watch.page(context)
    try:
        page.goto(f"{origin}/?token={server.token}")
        assert page.url == f"{origin}/"  # the token left the address bar

        # a case
        page.fill("#new-case input[name=name]", "oaxaca-2025")
        page.click("#new-case button")
        page.wait_for_url("**/cases/*")
        assert page.inner_text("#case-name") == "oaxaca-2025"

        # a check of the generated acquisition, chosen in the file browser, watched live
        page.click("#new-check")
        page.click(f"#browser button.link:has-text('{root}')")
        page.locator("ul.browser li", has_text="phone-maria").locator("button.choose").click()
        page.wait_for_selector("#detected")
        assert "androidqf" in page.inner_text("#detected")
        page.fill("#device", "maria-android")
        page.click("#start-check")
        page.wait_for_url("**/checks/*")
        page.wait_for_selector("#progress tbody tr")  # the progress table came through the event stream
        page.wait_for_selector("#open-results", timeout=60_000)
        assert page.locator("#progress td.status-ok").count() >= 4
        page.click("#open-results")
        page.wait_for_selector("#verdict")
        assert page.inner_text("#verdict-headline").startswith("Traces of NoviSpy")

        # the detection, confirmed with a note
        page.locator("#findings-table tr", has_text="NoviSpy").locator(".open-detection").click()
        page.wait_for_selector("#triage-form")
        assert PLANTED_APP_ID in page.inner_text("#detection-facts")
        page.check("#state-confirmed")
        page.fill("#triage-note", "Maria never installed this app; confirmed with her.")
        page.fill("#triage-analyst", "Ana (helpline)")
        page.click("#triage-save")
        page.wait_for_selector("#triage-saved")
        assert "confirmed" in page.inner_text("#triage-state")
        assert "Maria never installed this app" in page.inner_text("#triage-history")

        # the triage in the report shown in the app
        page.click("nav a:has-text('Cases')")
        page.click("a:has-text('oaxaca-2025')")
        page.click(".run-link")
        page.wait_for_selector("#findings-table .t-confirmed")
        report = page.frame_locator("#report-frame")
        card = report.locator("p.triage.triage-confirmed")
        card.wait_for()
        assert "Maria never installed this app" in card.inner_text()
        assert "Ana (helpline)" in card.inner_text()
        card.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts_dir() / SCREENSHOT), full_page=True)

        # one click to the PDF
        with page.expect_download() as download:
            page.click("#export-pdf")
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

        # another language, for the page and the report
        page.click("#lang-es")
        page.wait_for_selector("html[lang=es]")
        assert page.inner_text("#verdict-headline").startswith("Se encontraron rastros de NoviSpy")
        report.locator("html[lang=es]").wait_for(state="attached")
        assert "Triaje:" in report.locator("p.triage").inner_text()
        page.click("#lang-en")
        page.wait_for_selector("html[lang=en]")

        # a new indicator file, then a hunt: exactly the new finding
        page.click("nav a:has-text('Indicators')")
        page.set_input_files("#upload-file", str(feed))
        page.select_option("#upload-platform", "android")
        page.click("#upload-add")
        page.wait_for_selector("#added")
        page.click("nav a:has-text('Hunt')")
        page.select_option("#hunt-scope", label="case oaxaca-2025")
        page.click("#start-hunt")
        page.wait_for_selector("#open-hunt", timeout=60_000)
        page.click("#open-hunt")
        rows = page.locator("table.new-findings tbody tr")
        rows.first.wait_for()
        assert rows.count() == 1
        assert NEW_APK in rows.first.inner_text() and "NewSpy" in rows.first.inner_text()
        assert "maria-android" in page.inner_text("section.news h2")
    finally:
        context.close()
        server.stop()
    assert watch.errors == []
    assert watch.left == []
    shot = artifacts_dir() / SCREENSHOT
    assert shot.is_file() and shot.stat().st_size > 20_000


def test_a_request_leaving_the_machine_would_be_seen(browser: Any, tmp_path: Path) -> None:
    """The harness itself: a page that loads something from elsewhere is caught (so the zero above means something)."""
    context = browser.new_context()
    watch = Watch(context, "http://127.0.0.1:9")
    page = watch.page(context)
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<html><body><img src="https://example.invalid/x.png"></body></html>', encoding="utf-8")
    page.route(leaky.as_uri(), lambda route, request: route.continue_())
    page.goto(leaky.as_uri())
    page.wait_for_load_state("load")
    context.close()
    assert watch.left == ["https://example.invalid/x.png"]
