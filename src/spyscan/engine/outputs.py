"""The output folder: created owner-only, then filled by ``finish`` from the jobs' outcomes.

``finish`` gathers the artifacts' statuses, detections and timeline parts, decides the verdict
(``spyscan.verdict``) and writes ``detections.json``, ``timeline.csv``, ``detections_timeline.csv``,
``run.json`` and the human report. ``run.json`` is first written with ``"status": "running"`` as soon
as the folder exists, so that a run killed outright never leaves a folder that looks complete.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

from spyscan.detection.model import Detection, DetectionsFile, Severity
from spyscan.engine.options import RunOptions, RunResult
from spyscan.engine.outcome import ArtifactOutcome
from spyscan.errors import SpyscanError, UsageError
from spyscan.evidence.custody import InputFile
from spyscan.records.device import DeviceFacts
from spyscan.report.i18n import resolve_lang
from spyscan.report.runfile import RunInfo, write_json
from spyscan.report.svg_timeline import ChartCounts, EventBinner
from spyscan.texts import messages_of, tr
from spyscan.timeline.rows import TimelineRow, parts_time_range, stamp_key, write_csv, write_merged
from spyscan.timeutil import from_iso, iso, utcnow
from spyscan.verdict import decide, exit_code

log = logging.getLogger("spyscan")


def validate_output(output: Path, evidence: Path | None) -> Path:
    """The output folder to use; refused inside the evidence or over earlier results. Creates nothing."""
    out = output.expanduser().resolve()
    if evidence is not None:
        ev = evidence.expanduser().resolve()
        ev_root = ev if ev.is_dir() else None
        if ev_root is not None and (out == ev_root or out.is_relative_to(ev_root)):
            raise UsageError(tr('the output folder %(out)s is inside the evidence %(ev_root)s; choose another place',
                                out=out, ev_root=ev_root))
    if out.exists():
        if not out.is_dir():
            raise UsageError(tr('the output path %(out)s exists and is not a folder', out=out))
        if any(out.iterdir()):
            raise UsageError(tr('the output folder %(out)s is not empty; choose a new folder (nothing was changed)',
                                out=out))
    return out


def create_output(out: Path) -> Path:
    """Create the (validated) output folder and its ``records/``, readable by the owner only."""
    if out.exists() and any(out.iterdir()):
        raise UsageError(tr('the output folder %(out)s is not empty; choose a new folder (nothing was changed)',
                            out=out))
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    out.chmod(0o700)
    (out / "records").mkdir(mode=0o700, exist_ok=True)
    return out


def prepare_output(output: Path, evidence: Path | None) -> Path:
    """Validate and create the output folder at once (for runs with nothing to open first)."""
    return create_output(validate_output(output, evidence))


def _severity_counts(detections: Sequence[Detection]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for d in detections:
        counts[d.severity.value] += 1
    return counts


def sort_detections(detections: Sequence[Detection]) -> list[Detection]:
    return sorted(detections, key=lambda d: (-d.severity.rank, d.timestamp or "~", d.artifact, d.id))


def _detection_rows(detections: Sequence[Detection]) -> list[TimelineRow]:
    rows = []
    for d in detections:
        if d.timestamp is None:
            continue
        source = d.record.get("source", {}) if isinstance(d.record, dict) else {}
        rows.append(TimelineRow(
            timestamp=d.timestamp, artifact=d.artifact, event=f"{d.severity.value} {d.kind} detection",
            record_type=str(d.record.get("record_type", "")), summary=d.message,
            source=str(source.get("file", "")),
        ))
    rows.sort(key=lambda row: (stamp_key(row.timestamp), row))
    return rows


def merge_facts(device: DeviceFacts, outcomes: Sequence[ArtifactOutcome]) -> None:
    """Device facts read by artifacts complete what the acquisition's own metadata said."""
    for outcome in outcomes:
        for name, value in sorted(outcome.facts.items()):
            if getattr(device, name, None) is None:
                setattr(device, name, value)


def finish(out: Path, run: RunInfo, outcomes: list[ArtifactOutcome], options: RunOptions,
           key_artifacts: Sequence[str] = ()) -> RunResult:
    detections: dict[str, Detection] = {}
    inputs: dict[str, InputFile] = {i.path: i for i in run.inputs}
    parts: list[tuple[str, Path]] = []  # (artifact, part): every line of a job's parts is of the job
    for outcome in outcomes:
        if outcome.id in key_artifacts:
            outcome.status.key = True
        run.artifacts[outcome.id] = outcome.status
        for d in outcome.detections:
            detections.setdefault(d.id, d)
        for item in outcome.inputs:
            inputs.setdefault(item.path, item)
        parts.extend((outcome.id, Path(p)) for p in outcome.timeline_parts if os.path.exists(p))
    merge_facts(run.device, outcomes)
    ordered = sort_detections(list(detections.values()))
    write_json(out / "detections.json", DetectionsFile(detections=ordered))
    # the report's timeline chart is counted while the lines stream by, not by reading the file again
    # (no timestamped detection, as on most phones: the chart spans every event, found at the parts' ends)
    binner = EventBinner.for_markers([when for d in ordered if (when := from_iso(d.timestamp)) is not None])
    if binner is None and (span := parts_time_range([part for _, part in parts])) is not None:
        binner = EventBinner.for_range(*span)
    started = time.monotonic()
    rows = write_merged(parts, out / "timeline.csv", binner)
    log.info("timeline: %d rows from %d parts merged in %.1f s", rows, len(parts), time.monotonic() - started)
    write_csv(_detection_rows(ordered), out / "detections_timeline.csv")
    run.inputs = sorted(inputs.values(), key=lambda i: i.path)
    run.lang = resolve_lang(options.lang)  # `spyscan report` keeps this language unless told otherwise
    run.messages.update(messages_of(run.errors))  # the translatable form of the run's errors
    run.tz = options.tz
    run.detections = _severity_counts(ordered)
    run.verdict = decide(run, ordered)
    run.exit_code = exit_code(run.verdict)
    run.finished = iso(utcnow())
    write_json(out / "run.json", run)
    started = time.monotonic()
    write_human_report(out, options, binner.result() if binner is not None else None)
    log.info("report written in %.1f s", time.monotonic() - started)
    return RunResult(output=out, run=run, detections=ordered, exit_code=run.exit_code)


def write_human_report(out: Path, options: RunOptions, chart_counts: ChartCounts | None = None) -> None:
    from spyscan.report import html

    try:
        html.write_reports(out, lang=options.lang, pdf=options.pdf, redact=options.redact,
                           chart_counts=chart_counts, tz=options.tz)
    except SpyscanError:
        raise
    except Exception as exc:  # the machine-readable outputs are written already
        log.exception("report generation failed")
        raise SpyscanError(f"the results are in {out}, but the HTML report could not be written: "
                           f"{type(exc).__name__}: {exc}"[:600]) from exc
