"""Headless Chromium for the browser tests (the report, the web app), through Playwright.

Skipped, with the reason, where Chromium or Playwright is not installed (Debian: apt-get install chromium).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("SPYSCAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launched_chromium() -> Iterator[Any]:
    """A started Chromium browser for a module-scoped fixture (skips the tests where it cannot start)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:
            pytest.skip(f"Chromium at {CHROMIUM} could not be started: {exc}")
        yield instance
        instance.close()
