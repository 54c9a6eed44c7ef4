"""The per-run hunt function, shared by the local process pool and Dask workers.

``hunt_run`` streams the records stored in one output folder through the detection pipeline (no
records are written) and returns the detections whose ids are not already known. Each worker process
builds the indicator index once and keeps it in a module global keyed by the indicator files' hashes;
the index is never sent to workers.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from spyscan.cases.model import EvidenceChange, HuntRunResult, TriageEvidence
from spyscan.cases.store import check_run_folder
from spyscan.cases.triage import evidence_changes, evidence_of
from spyscan.detection.heuristics.base import Rule, all_rules, all_run_rules
from spyscan.detection.model import Detection
from spyscan.detection.pipeline import RecordPipeline
from spyscan.engine.run_rules import apply_run_rules
from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.model import IndicatorFile
from spyscan.indicators.sources import load_indicator_set
from spyscan.records.store import read_stored_records

_LOCK = threading.Lock()
_INDEX: dict[str, IndicatorIndex] = {}
_RULES: list[type[Rule]] | None = None


def indicator_key(files: Sequence[IndicatorFile], bundled: bool) -> str:
    """Identity of an indicator set: the SHA-256 of its files' hashes (order-independent)."""
    text = "\n".join(sorted({f.sha256 for f in files})) + f"\nbundled={bundled}"
    return hashlib.sha256(text.encode()).hexdigest()


def load_index(paths: Sequence[Path], bundled: bool, expected_key: str | None = None) -> tuple[str, IndicatorIndex]:
    """The index for these indicator paths, built at most once per process (per indicator set)."""
    with _LOCK:
        if expected_key is not None and expected_key in _INDEX:
            return expected_key, _INDEX[expected_key]
        indicator_set = load_indicator_set(list(paths), bundled=bundled, env=False)
        key = indicator_key(indicator_set.files, bundled)
        if key not in _INDEX:
            _INDEX[key] = IndicatorIndex.build(indicator_set.indicators)
        return key, _INDEX[key]


def _rules() -> list[type[Rule]]:
    global _RULES
    if _RULES is None:
        _RULES = list(all_rules().values())
    return _RULES


def hunt_run(run_dir: Path, indicator_paths: Sequence[Path], bundled: bool, known_ids: set[str], *,
             expected_key: str | None = None, expected_run_sha256: str | None = None,
             benign: Mapping[str, TriageEvidence] | None = None) -> HuntRunResult:
    """New detections in the records stored at ``run_dir`` (ids not in ``known_ids``).

    A finding triaged benign on the device (``benign``: its id and the evidence it had) is new only when
    its evidence changed since (``cases.triage.evidence_changes``), known or not; it is then listed with
    what changed. Never raises for a bad run: a missing or changed folder, or unreadable records, give a
    result with that status and a one-line message.
    """
    if expected_run_sha256 is not None:
        checked = check_run_folder(str(run_dir), expected_run_sha256)
        if checked.status != "ok":
            return HuntRunResult(status=checked.status, message=checked.message)
    records_dir = Path(run_dir) / "records"
    if not records_dir.is_dir():
        return HuntRunResult(status="missing", message=f"{records_dir} is missing")
    try:
        key, index = load_index(indicator_paths, bundled, expected_key)
    except Exception as exc:
        return HuntRunResult(status="error", message=f"indicators could not be loaded: {_one_line(exc)}")
    if expected_key is not None and key != expected_key:
        return HuntRunResult(status="error", message="the indicator set seen by this worker differs from the "
                                                     "hunt's (different files or `iocs update` state)")
    warnings: list[str] = []
    new: dict[str, Detection] = {}
    changed: dict[str, list[EvidenceChange]] = {}
    suppressed: set[str] = set()
    records = 0
    try:
        by_job: dict[str, list[Detection]] = {}
        for path in sorted(records_dir.glob("*.jsonl")):
            pipeline = RecordPipeline(path.stem, index, _rules(), records_out=None)
            for record in read_stored_records(path, warnings.append):
                pipeline.feed(record)
            records += pipeline.count
            by_job[path.stem] = pipeline.finish()
        # the run rules, as in the check (engine/run_rules.py)
        by_job, errors = apply_run_rules(records_dir, by_job, all_run_rules().values(), warnings.append)
        warnings.extend(errors)
        for found in by_job.values():
            for detection in found:
                baseline = (benign or {}).get(detection.id)
                if baseline is not None:
                    changes = evidence_changes(baseline, evidence_of(detection))
                    if not changes:
                        if detection.id not in known_ids:
                            suppressed.add(detection.id)
                        continue
                    changed[detection.id] = changes
                    new.setdefault(detection.id, detection)
                elif detection.id not in known_ids:
                    new.setdefault(detection.id, detection)
    except Exception as exc:  # one unreadable run never stops the hunt
        return HuntRunResult(status="error", message=_one_line(exc), records=records, warnings=warnings)
    ordered = sorted(new.values(), key=lambda d: (-d.severity.rank, d.timestamp or "~", d.artifact, d.id))
    return HuntRunResult(status="ok", records=records, new=ordered, warnings=warnings,
                         changed=changed, suppressed=len(suppressed))


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".replace("\n", " ").strip()[:500]
