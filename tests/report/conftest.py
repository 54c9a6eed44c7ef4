"""Fixtures of the report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.folders import CASE, Built, write_folder


@pytest.fixture
def built(tmp_path: Path) -> Built:
    return write_folder(tmp_path / CASE)
