"""A phone without any timestamped detection (most phones): the report's chart spans every event and is
counted while the check writes timeline.csv, never by reading the file again (1M rows took 11 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.report import svg_timeline
from tests.builders.ios_backup import BackupBuilder


def test_a_clean_check_draws_the_whole_range_without_rereading_the_timeline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    backup = BackupBuilder(tmp_path / "backup").add_system_databases().build()

    def no_reread(path: Path) -> None:
        raise AssertionError(f"the report read {path} again")

    monkeypatch.setattr(svg_timeline, "_scan", no_reread)
    out = tmp_path / "out"
    result = check(backup, None, RunOptions(output=out, indicators=IndicatorOptions(bundled=False), jobs=1))
    assert not [d for d in result.detections if d.timestamp]
    rows = (out / "timeline.csv").read_text(encoding="utf-8").count("\n") - 1
    assert rows > 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Timeline of all events" in html
