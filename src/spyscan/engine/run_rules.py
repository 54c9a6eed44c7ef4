"""The run-level rule step: rules that need the records of several artifacts (``RunRule``).

It runs in the parent once every job has finished (check, recheck and hunt alike), over the records the
jobs wrote to ``records/<job>.jsonl``. Only the records files of jobs whose artifact declares a record
type some run rule looks at are read back, so a run without such rules costs nothing. Then:

1. every run rule ``review``s each detection the jobs made (it may lower one, saying why; it never drops
   one), in the order of the rules' ids;
2. every run rule's ``findings`` become detections of the job whose record they rest on, grouped like the
   per-artifact ones (``detection/grouping.py``).

A run rule that fails costs its own findings only: the detections are kept as they were and the failure
is returned as a message for ``run.json`` ``errors``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from spyscan.detection.heuristics.base import RunRule
from spyscan.detection.model import Detection
from spyscan.detection.pipeline import NullMatcher, RecordPipeline
from spyscan.records.base import Record
from spyscan.records.store import read_stored_records
from spyscan.texts import tr

log = logging.getLogger("spyscan")


def _job_types(job: str) -> tuple[type[Record], ...] | None:
    """Record types the job's artifact declares (None when the artifact is unknown, e.g. an old store)."""
    from spyscan.artifacts.base import all_artifacts

    artifact = all_artifacts().get(job.partition("@")[0])
    return artifact.records if artifact is not None else None


def _wants(rule: RunRule, types: tuple[type[Record], ...] | None) -> bool:
    return types is None or any(issubclass(t, rule.record_types) for t in types)


def apply_run_rules(records_dir: Path, detections: Mapping[str, list[Detection]],
                    rules: Iterable[type[RunRule]], warn: Callable[[str], None] | None = None
                    ) -> tuple[dict[str, list[Detection]], list[str]]:
    """The detections of each job after the run rules; and the errors of rules that failed.

    ``detections`` maps each job id to what its pipeline found; jobs without a records file are
    reviewed but contribute no records.
    """
    instances = sorted((rule() for rule in rules), key=lambda r: r.id)
    errors: list[str] = []
    if not instances:
        return {job: list(found) for job, found in detections.items()}, errors
    failed: set[str] = set()
    for job in sorted(detections):
        wanting = [r for r in instances if r.record_types and _wants(r, _job_types(job))]
        path = records_dir / f"{job}.jsonl"
        if not wanting or not path.is_file():
            continue
        for record in read_stored_records(path, warn or (lambda _message: None)):
            for rule in wanting:
                if rule.id in failed or not isinstance(record, rule.record_types):
                    continue
                try:
                    rule.check(record, job)
                except Exception as exc:  # one failing rule costs its own findings only
                    failed.add(rule.id)
                    errors.append(_failure(rule, exc))
    everything = [d for found in detections.values() for d in found]
    reviewed: dict[str, list[Detection]] = {}
    for job, found in detections.items():
        reviewed[job] = [_reviewed(detection, instances, failed, errors) for detection in found]
    pipelines: dict[str, RecordPipeline] = {}
    for rule in instances:
        if rule.id in failed:
            continue
        try:
            for job, finding in rule.findings(everything):
                pipeline = pipelines.get(job)
                if pipeline is None:
                    pipeline = pipelines[job] = RecordPipeline(job, NullMatcher(), ())
                pipeline.add_finding(rule, finding)
        except Exception as exc:
            errors.append(_failure(rule, exc))
    for job, pipeline in pipelines.items():
        reviewed.setdefault(job, []).extend(pipeline.detections())
    return reviewed, errors


def _reviewed(detection: Detection, rules: list[RunRule], failed: set[str], errors: list[str]) -> Detection:
    for rule in rules:
        if rule.id in failed:
            continue
        try:
            changed = rule.review(detection)
            if changed.id != detection.id:  # a review changes how a finding is graded, never what it is
                raise ValueError(f"it changed the id of detection {detection.id}")
        except Exception as exc:
            failed.add(rule.id)
            errors.append(_failure(rule, exc))
            continue
        detection = changed
    return detection


def _failure(rule: RunRule, exc: BaseException) -> str:
    log.exception("run rule %s failed", rule.id)
    detail = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:400]
    return tr("run rule %(rule)s failed: %(error)s", rule=rule.id, error=detail)
