"""Reading an output folder: ``run.json``, ``detections.json`` and where ``timeline.csv`` is.

The report reads nothing else of a check (never the evidence): what it shows comes from these files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import msgspec

from spyscan.detection.model import Detection, DetectionsFile
from spyscan.errors import UsageError
from spyscan.report import svg_timeline
from spyscan.report.runfile import RunInfo, read_run
from spyscan.texts import tr


@dataclass
class OutputFolder:
    path: Path
    run: RunInfo
    detections: list[Detection]
    problems: list[str]  # outputs that were missing or unreadable
    timeline: Path | None
    chart_counts: svg_timeline.ChartCounts | None = None  # counted while the check wrote timeline.csv


def load_output(out: Path) -> OutputFolder:
    """Read an output folder; a missing ``run.json`` is an error, other missing files are reported."""
    run_path = out / "run.json"
    if not run_path.is_file():
        raise UsageError(tr("%(folder)s is not a spyscan output folder (run.json not found)", folder=out))
    try:
        run = read_run(run_path)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise UsageError(tr("%(file)s is not a readable spyscan run.json: %(error)s", file=run_path,
                            error=exc)) from None
    problems: list[str] = []
    detections: list[Detection] = []
    det_path = out / "detections.json"
    if det_path.is_file():
        try:
            detections = msgspec.json.decode(det_path.read_bytes(), type=DetectionsFile).detections
        except (OSError, msgspec.DecodeError, msgspec.ValidationError) as exc:
            problems.append(f"detections.json: {exc}")
    else:
        problems.append("detections.json")
    timeline = out / "timeline.csv"
    if not timeline.is_file():
        problems.append("timeline.csv")
    detections.sort(key=lambda d: (-d.severity.rank, d.timestamp or "~", d.artifact, d.id))
    return OutputFolder(out, run, detections, problems, timeline if timeline.is_file() else None)
