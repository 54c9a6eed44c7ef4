"""Per-artifact time budgets, record ceilings and stop requests: each stops one artifact, keeps what it
read, and makes the check incomplete (exit 4) without stopping the others."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.engine import IndicatorOptions, Progress, RunOptions, check, jobs, pool
from spyscan.engine import run as run_mod
from spyscan.errors import EXIT_INCOMPLETE
from spyscan.evidence.base import Evidence
from spyscan.records.base import Record, SourceRef
from spyscan.report.runfile import read_run
from tests.builders.android_backup import sms_backup, tar_bytes, write_ab

TELEPHONY = "apps/com.android.providers.telephony/d_f"


class Tick(Record, frozen=True, tag="test.budget.tick"):
    n: int


class _Base(Artifact):
    kinds = ("android-backup",)
    records = (Tick,)


class Quick(_Base):
    id = "test.budget.quick"
    title = "quick"

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Tick]:
        for n in range(10):
            yield Tick(source=SourceRef(file="q", line=n), n=n)


class Endless(_Base):
    id = "test.budget.endless"
    title = "endless"

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Tick]:
        n = 0
        while True:
            n += 1
            yield Tick(source=SourceRef(file="e", line=n), n=n)
            time.sleep(0.001)


class Stuck(_Base):
    id = "test.budget.stuck"
    title = "stuck in a call that ignores signals"

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Tick]:
        yield Tick(source=SourceRef(file="s", line=1), n=1)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGALRM, signal.SIGINT})
        time.sleep(120)  # as a C call that nothing interrupts
        yield Tick(source=SourceRef(file="s", line=2), n=2)


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    sms = sms_backup([{"address": "+100", "body": "hello", "date": "1700000000000", "type": "1"}])
    return write_ab(tmp_path / "backup.ab", tar_bytes([(f"{TELEPHONY}/000000_sms_backup", sms)]))


def _use(monkeypatch: pytest.MonkeyPatch, *artifacts: type[Artifact]) -> None:
    table = {a.id: a for a in artifacts}
    monkeypatch.setattr(run_mod, "artifacts_for", lambda kind: list(artifacts))
    monkeypatch.setattr(jobs, "all_artifacts", lambda: table)


def _options(tmp_path: Path, **kw: object) -> RunOptions:
    options = RunOptions(output=tmp_path / "out", indicators=IndicatorOptions(bundled=False), jobs=2)
    for key, value in kw.items():
        setattr(options, key, value)
    return options


@pytest.mark.skipif(not pool.can_fork(), reason="jobs run in forked processes")
def test_an_artifact_past_its_time_budget_stops_keeps_its_records_and_the_check_is_incomplete(
        tmp_path: Path, backup: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, Quick, Endless)
    started = time.monotonic()
    result = check(backup, None, _options(tmp_path, artifact_timeout=1.0))
    assert time.monotonic() - started < 20
    statuses = result.run.artifacts
    assert statuses["test.budget.quick"].status == "ok" and statuses["test.budget.quick"].records == 10
    endless = statuses["test.budget.endless"]
    assert endless.status == "timeout" and endless.records > 10 and "time budget" in (endless.error or "")
    kept = (result.output / "records" / "test.budget.endless.jsonl").read_bytes().splitlines()
    assert len(kept) == endless.records
    assert [msgspec.json.decode(line)["n"] for line in kept[:3]] == [1, 2, 3]
    assert result.exit_code == EXIT_INCOMPLETE and result.run.verdict is not None
    assert result.run.verdict.state == "incomplete" and not result.run.verdict.complete
    assert any(r.artifact == "test.budget.endless" for r in result.run.verdict.reasons)
    assert read_run(result.output / "run.json").status == "complete"


@pytest.mark.skipif(not pool.can_fork(), reason="jobs run in forked processes")
def test_a_job_stuck_where_signals_cannot_reach_is_killed_after_the_grace(
        tmp_path: Path, backup: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, Quick, Stuck)
    monkeypatch.setattr(pool, "GRACE", 1.0)
    started = time.monotonic()
    result = check(backup, None, _options(tmp_path, artifact_timeout=1.0))
    assert time.monotonic() - started < 20
    stuck = result.run.artifacts["test.budget.stuck"]
    assert stuck.status == "timeout" and "did not stop" in (stuck.error or "")
    assert result.run.artifacts["test.budget.quick"].status == "ok"
    assert result.exit_code == EXIT_INCOMPLETE


def test_the_record_ceiling_stops_one_artifact(tmp_path: Path, backup: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    _use(monkeypatch, Quick, Endless)
    result = check(backup, None, _options(tmp_path, max_records=50))
    endless = result.run.artifacts["test.budget.endless"]
    assert endless.status == "truncated" and endless.records == 50 and "--max-records" in (endless.error or "")
    assert len((result.output / "records" / "test.budget.endless.jsonl").read_bytes().splitlines()) == 50
    assert result.exit_code == EXIT_INCOMPLETE


class _SignalOnStart(Progress):
    def start(self, artifacts: object) -> None:
        threading.Timer(0.7, os.kill, (os.getpid(), signal.SIGTERM)).start()


@pytest.mark.skipif(not pool.can_fork(), reason="jobs run in forked processes")
def test_sigterm_during_the_run_writes_an_interrupted_run(tmp_path: Path, backup: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, Endless, Quick)
    options = _options(tmp_path, jobs=1)
    options.progress = _SignalOnStart()
    started = time.monotonic()
    result = check(backup, None, options)
    assert time.monotonic() - started < 20
    run = read_run(result.output / "run.json")
    assert run.status == "interrupted" and run.verdict is not None and run.verdict.state == "incomplete"
    assert run.artifacts["test.budget.endless"].status == "interrupted"
    assert run.artifacts["test.budget.endless"].records > 0
    assert run.artifacts["test.budget.quick"].status == "not_run"
    assert result.exit_code == EXIT_INCOMPLETE
    assert (result.output / "report.html").is_file()
