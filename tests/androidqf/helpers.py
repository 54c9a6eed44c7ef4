"""Helpers for the androidqf tests: open an evidence, run one artifact, run the rules over records."""

from __future__ import annotations

from pathlib import Path

from spyscan.artifacts.base import ArtifactLog, all_artifacts
from spyscan.detection.heuristics.base import all_rules
from spyscan.detection.model import Detection
from spyscan.detection.pipeline import NullMatcher, RecordPipeline
from spyscan.evidence.secrets import Secrets
from spyscan.kinds.androidqf import AndroidQFEvidence
from spyscan.records.base import Record


def open_evidence(path: Path, workdir: Path, secrets: Secrets | None = None) -> AndroidQFEvidence:
    workdir.mkdir(parents=True, exist_ok=True)
    evidence = AndroidQFEvidence(path, workdir, secrets or Secrets(interactive=False))
    evidence.open()
    return evidence


def collect(evidence: object, artifact_id: str) -> tuple[list[Record], ArtifactLog]:
    log = ArtifactLog()
    artifact = all_artifacts()[artifact_id]()
    records = list(artifact.collect(evidence, log))  # type: ignore[arg-type]
    return records, log


def detections(artifact_id: str, records: list[Record]) -> list[Detection]:
    pipeline = RecordPipeline(artifact_id, NullMatcher(), list(all_rules().values()))
    for record in records:
        pipeline.feed(record)
    return pipeline.finish()


def rule_hits(found: list[Detection], rule: str) -> list[Detection]:
    return [d for d in found if d.rule == rule]
