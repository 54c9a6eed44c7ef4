"""Free disk space running low during a check: the check stops cleanly (exit 1, run.json "failed"),
the other artifacts are stopped, and the disk never runs past spyscan's reserve."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from spyscan.artifacts.base import ArtifactLog
from spyscan.detection.pipeline import WRITE_BLOCK
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.errors import SpyscanError
from spyscan.evidence import diskspace
from spyscan.evidence.base import Evidence
from spyscan.records.base import SourceRef
from spyscan.report.runfile import read_run
from tests.core.test_engine_budgets import Quick, Tick, _Base, _use, backup  # noqa: F401 - fixture

ROOM = 4 << 20  # bytes the test's "disk" holds above spyscan's reserve


class Flood(_Base):
    id = "test.disk.flood"
    title = "writes many large records"

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Tick]:
        # bounded (about 20 MB), so that without the guard the test fails instead of filling a real disk
        for n in range(1, 5001):
            yield Tick(source=SourceRef(file="f", line=n, key="x" * 4000), n=n)


def _used(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_disk_running_low_stops_the_check_with_exit_1(tmp_path: Path, backup: Path,  # noqa: F811
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(diskspace, "free_bytes",
                        lambda path: diskspace.reserve() + ROOM - (_used(out) if out.exists() else 0))
    _use(monkeypatch, Quick, Flood)
    with pytest.raises(SpyscanError) as info:
        check(backup, None, RunOptions(output=out, indicators=IndicatorOptions(bundled=False), jobs=2))
    assert info.value.exit_code == 1 and "disk space" in str(info.value)
    run = read_run(out / "run.json")
    assert run.status == "failed" and run.exit_code == 1 and any("disk space" in e for e in run.errors)
    # stopped within one block of records (512 at a time) of the reserve, which is far larger than a block
    assert _used(out) < ROOM + WRITE_BLOCK * 4500
    assert os.path.getsize(out / "records" / "test.disk.flood.jsonl") > 0
