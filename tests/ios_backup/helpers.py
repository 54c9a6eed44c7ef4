"""Run one artifact (and the heuristics) over a generated backup."""

from __future__ import annotations

from pathlib import Path

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.detection.heuristics.base import Rule
from spyscan.detection.model import Detection
from spyscan.detection.pipeline import NullMatcher, RecordPipeline
from spyscan.evidence.secrets import Secrets
from spyscan.kinds.ios_backup import IOSBackupEvidence
from spyscan.records.base import Record


def open_backup(root: Path, work: Path, secrets: Secrets | None = None) -> IOSBackupEvidence:
    work.mkdir(mode=0o700, exist_ok=True)
    ev = IOSBackupEvidence(root, work, secrets)
    ev.open()
    return ev


def collect(artifact: type[Artifact], root: Path, work: Path) -> tuple[list[Record], ArtifactLog]:
    log = ArtifactLog()
    records = list(artifact().collect(open_backup(root, work), log))
    return records, log


def detections(records: list[Record], *rules: type[Rule]) -> list[Detection]:
    pipeline = RecordPipeline("test", NullMatcher(), rules)
    for record in records:
        pipeline.feed(record)
    return pipeline.finish()
