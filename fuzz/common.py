"""Shared plumbing of the atheris fuzz targets (see docs/robustness.md, "Fuzzing").

Each target module defines ``one_input(data: bytes) -> None``; an exception that is not an expected,
clean refusal is a finding. ``run_artifact`` drives one artifact through the engine's per-artifact
path with the tests' hostile evidence serving the fuzz input for every file the artifact asks for,
and applies the corruption matrix's rules to the outcome.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for entry in (str(REPO / "src"), str(REPO)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

_ROOT = Path(tempfile.mkdtemp(prefix="spyscan-fuzz-"))


class _Payload:
    def __init__(self, data: bytes) -> None:
        self.payload = data

    def data(self, variant: str, fmt: str) -> bytes:
        return self.payload

    def wal(self) -> bytes:
        return b""


def run_artifact(artifact_id: str, data: bytes) -> None:
    from tests.robustness.hostile import check_status, hostile_evidence

    from spyscan.artifacts.base import all_artifacts
    from spyscan.detection.heuristics.base import all_rules
    from spyscan.detection.pipeline import NullMatcher
    from spyscan.engine import jobs
    from spyscan.kinds import all_kinds

    artifact = all_artifacts()[artifact_id]
    kinds = all_kinds()
    kind = next(k for k in artifact.kinds if k in kinds)
    root = _ROOT / "run"
    shutil.rmtree(root, ignore_errors=True)
    (root / "records").mkdir(parents=True)
    (root / "parts").mkdir()
    evidence = hostile_evidence(kinds[kind], "fuzz", _Payload(data), root / "hostile")  # type: ignore[arg-type]
    with jobs.using(jobs.Shared(matcher=NullMatcher(), rules=list(all_rules().values()),
                                records_dir=root / "records", parts_dir=root / "parts", evidences={"": evidence})):
        outcome = jobs.execute(artifact_id, artifact.title, jobs.ARTIFACT)
    check_status(f"{artifact_id} × fuzz", outcome.status, getattr(evidence, "asked", []))


def scratch_file(name: str, data: bytes) -> Path:
    path = _ROOT / name
    path.write_bytes(data)
    return path


def _tolerating_known(one_input: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """Let a campaign go on past findings already reported: SPYSCAN_FUZZ_KNOWN="ReadError,idempotent"
    ignores exceptions whose ``Type: message`` contains one of the comma-separated texts."""
    known = [k for k in os.environ.get("SPYSCAN_FUZZ_KNOWN", "").split(",") if k]
    if not known:
        return one_input

    def wrapped(data: bytes) -> None:
        try:
            one_input(data)
        except Exception as exc:
            if not any(k in f"{type(exc).__name__}: {exc}" for k in known):
                raise
    return wrapped


def main(one_input: Callable[[bytes], None]) -> None:
    import atheris

    atheris.Setup(sys.argv, _tolerating_known(one_input))
    atheris.Fuzz()
