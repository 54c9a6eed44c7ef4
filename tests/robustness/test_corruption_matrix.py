"""Corruption matrix: every registered artifact × every corruption variant, through the engine's own
per-artifact execution path (``engine._execute``: RecordPipeline + the status rules).

Each artifact runs against a hostile evidence of its first kind that serves the variant file for
whatever the artifact asks. A cell passes when no exception escapes, the status is one of run.json's
statuses, every warning is one line, an ``error`` names the file it failed on (or is a spyscan error
that explains itself) and a served ``-wal`` database stays unchanged. New artifacts and kinds are
picked up at collection time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from spyscan.artifacts.base import all_artifacts, artifacts_for
from spyscan.detection.heuristics.base import all_rules
from spyscan.detection.pipeline import NullMatcher
from spyscan.engine import jobs
from spyscan.engine.pool import Job, StopFlag, run_jobs
from spyscan.evidence.base import Evidence
from spyscan.kinds import all_kinds
from spyscan.report.runfile import ArtifactStatus

from .hostile import STATUSES, check_status, hostile_evidence
from .real_kinds import real_case
from .variants import VARIANTS, VariantFiles, format_of

# Variants that must never pass silently (status "ok" without any warning). For text files also the
# undecodable-bytes and over-long-line variants: textio counts both, so an artifact has what it needs to warn.
MUST_WARN = ("zero_length", "truncated", "random_bytes")
MUST_WARN_TEXT = ("invalid_utf8_nul", "gigantic_line")

# (artifact id, variant) -> why it is known to fail (none today; docs/robustness.md lists the history).
KNOWN_GAPS: dict[tuple[str, str], str] = {}

MATRIX_OUT = os.environ.get("SPYSCAN_MATRIX_OUT")  # a .jsonl file collecting every cell's outcome


def _artifact_ids() -> list[str]:
    return sorted(all_artifacts())


@pytest.fixture(scope="module")
def variant_files(tmp_path_factory: pytest.TempPathFactory) -> VariantFiles:
    return VariantFiles(tmp_path_factory.mktemp("variants"))


@pytest.fixture
def engine_state(tmp_path: Path) -> Iterator[jobs.Shared]:
    records = tmp_path / "records"
    parts = tmp_path / "parts"
    records.mkdir()
    parts.mkdir()
    with jobs.using(jobs.Shared(matcher=NullMatcher(), rules=list(all_rules().values()), records_dir=records,
                                parts_dir=parts)) as state:
        yield state


def _run(artifact_id: str, evidence: Evidence, state: jobs.Shared) -> ArtifactStatus:
    state.evidences = {"": evidence}
    outcome = jobs.execute(artifact_id, all_artifacts()[artifact_id].title, jobs.ARTIFACT)
    return outcome.status


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("artifact_id", _artifact_ids())
def test_artifact_survives_variant(artifact_id: str, variant: str, variant_files: VariantFiles,
                                   engine_state: jobs.Shared, tmp_path: Path) -> None:
    artifact = all_artifacts()[artifact_id]
    kinds = all_kinds()
    kind = next((k for k in artifact.kinds if k in kinds), None)
    if kind is None:
        pytest.skip(f"{artifact_id} declares no registered kind ({artifact.kinds})")
    case = real_case(artifact_id, variant, variant_files, tmp_path / "real")
    evidence = case.evidence if case else hostile_evidence(kinds[kind], variant, variant_files, tmp_path / "hostile")
    try:
        status = _run(artifact_id, evidence, engine_state)
    finally:
        if case:
            case.evidence.close()
    asked: list[str] = case.damaged if case else getattr(evidence, "asked", [])
    if MATRIX_OUT:
        with open(MATRIX_OUT, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"artifact": artifact_id, "kind": kind, "variant": variant,
                                 "status": status.status, "records": status.records,
                                 "message": status.error or (status.warnings[0] if status.warnings else "")}) + "\n")
    check_status(f"{artifact_id} × {variant}", status, asked, skip_not_served=False)
    if case and case.listing_only:
        # the artifact never reads content: instead of a warning, the damaged file must be listed
        assert status.status == "ok" and status.records > 0, f"{artifact_id} × {variant}: {case.listing_only}"
        assert case.served_changes() == []
        return
    text_file = bool(asked) and format_of(asked[0]) == "text"
    if variant in MUST_WARN or (text_file and variant in MUST_WARN_TEXT):
        silent = status.status == "ok" and not status.warnings
        gap = KNOWN_GAPS.get((artifact_id, variant))
        if silent and gap:
            pytest.xfail(gap)
        assert not silent, f"{artifact_id} × {variant}: passed silently (status ok, no warning) on {asked[:1]}"
    # the served files are the "evidence" here: reading them never changed them (no -shm, no checkpoint)
    assert (case or evidence).served_changes() == []  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", sorted(all_kinds()))
def test_one_hostile_file_never_stops_the_other_artifacts(kind: str, variant_files: VariantFiles,
                                                          engine_state: jobs.Shared, tmp_path: Path) -> None:
    """All artifacts of a kind run in one engine job list against random bytes: each gets an outcome."""
    job_list = [Job(a.id, a.title, jobs.ARTIFACT, None) for a in artifacts_for(kind)]
    if not job_list:
        pytest.skip(f"no artifact registered for {kind}")
    engine_state.evidences = {"": hostile_evidence(all_kinds()[kind], "random_bytes", variant_files,
                                                   tmp_path / "hostile")}
    outcomes = run_jobs(job_list, 1, lambda job, deadline: jobs.execute(job.id, job.title, job.source, deadline),
                        StopFlag())
    assert sorted(o.id for o in outcomes) == sorted(j.id for j in job_list)
    assert all(o.status.status in STATUSES for o in outcomes)
