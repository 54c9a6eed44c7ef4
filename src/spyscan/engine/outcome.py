"""What one job (one artifact on one input, or one stored records file) hands back to the run."""

from __future__ import annotations

import msgspec

from spyscan.detection.model import Detection
from spyscan.evidence.custody import InputFile
from spyscan.report.runfile import ArtifactStatus
from spyscan.texts import messages_of


class ArtifactOutcome(msgspec.Struct, kw_only=True):
    id: str
    status: ArtifactStatus
    detections: list[Detection]
    inputs: list[InputFile]
    timeline_parts: list[str]
    facts: dict[str, object] = {}  # device facts the artifact read (ArtifactLog.fact)
    fatal: str | None = None  # an error that stops the whole run (free disk space ran low)


def failed_outcome(job: str, title: str, status: str, error: str, seconds: float = 0.0,
                   records: int = 0) -> ArtifactOutcome:
    """The outcome of a job that could not hand back its own (it was never started, or its process died)."""
    return ArtifactOutcome(
        id=job, status=ArtifactStatus(status=status, records=records, warnings=[], seconds=round(seconds, 3),
                                      error=str(error), title=title, messages=messages_of([error])),
        detections=[], inputs=[], timeline_parts=[],
    )
