"""Summaries of the case store for a list of cases: devices, last check, worst finding, triage, last hunt."""

from __future__ import annotations

import msgspec

from spyscan.cases import hunt_log
from spyscan.cases.model import CaseInfo, StoredDetection, StoredRun
from spyscan.cases.store import CaseStore
from spyscan.cases.triage import BENIGN, TriageEntry, current
from spyscan.detection.model import Severity
from spyscan.errors import UsageError
from spyscan.texts import tr


class CaseOverview(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    created: str
    devices: int
    runs: int
    last_check: str | None  # when the latest registered check started (UTC)
    worst: str | None  # the highest severity of a finding not triaged benign
    untriaged: int  # findings (per device) without any triage
    last_hunt: int | None  # the latest finished hunt that covered the case
    last_hunt_new: int  # findings that hunt raised in the case (new, or raised again after a benign triage)


class RunFinding(msgspec.Struct, frozen=True, kw_only=True):
    """A stored detection of a run with its current triage on the device (None: not triaged)."""

    detection: StoredDetection
    triage: TriageEntry | None
    hunt: int | None  # the hunt that found it (None: the check itself)


def case_by_id(store: CaseStore, case_id: int) -> CaseInfo:
    row = store.db.execute("SELECT name FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        raise UsageError(tr('no case %(case_id)s', case_id=case_id))
    return store.case(str(row[0]))


def run_findings(store: CaseStore, run: StoredRun, triage: dict[tuple[str, str], TriageEntry] | None = None
                 ) -> list[RunFinding]:
    """Every stored detection of ``run`` (its check's and the hunts'), most severe first, with its triage."""
    marks = triage if triage is not None else current(store, run.case, run.device)
    decoder = msgspec.json.Decoder(StoredDetection)
    found = []
    for hunt, text in store.db.execute("SELECT hunt_id, detection_json FROM detections WHERE run_id = ? ORDER BY id",
                                       (run.id,)):
        detection = decoder.decode(text)
        found.append(RunFinding(detection=detection, triage=marks.get((run.device, detection.id)), hunt=hunt))
    found.sort(key=lambda f: (-_rank(f.detection.severity), f.detection.timestamp or "~", f.detection.id))
    return found


def _rank(severity: str) -> int:
    try:
        return Severity(severity).rank
    except ValueError:
        return -1


def _last_hunt(store: CaseStore, case: str) -> int | None:
    covering = [h for h in hunt_log.hunts(store) if h.finished is not None
                and str(h.params.get("scope", "")) in ("all", f"case:{case}")]
    return covering[-1].id if covering else None


def overview(store: CaseStore, info: CaseInfo) -> CaseOverview:
    runs = store.runs(info.name)
    triage = current(store, info.name)
    worst = -1
    untriaged: set[tuple[str, str]] = set()
    for run in runs:
        for finding in run_findings(store, run, triage):
            key = (run.device, finding.detection.id)
            if finding.triage is None:
                untriaged.add(key)
            if finding.triage is None or finding.triage.state != BENIGN:
                worst = max(worst, _rank(finding.detection.severity))
    hunt_id = _last_hunt(store, info.name)
    new = 0
    if hunt_id is not None:
        run_ids = {r.id for r in runs}
        new = sum(len(entry.new) for entry in hunt_log.hunt_entries(store, hunt_id) if entry.run_id in run_ids)
    return CaseOverview(
        id=info.id, name=info.name, created=info.created, devices=info.devices, runs=info.runs,
        last_check=max((r.started for r in runs if r.started), default=None),
        worst=next((s.value for s in Severity if s.rank == worst), None), untriaged=len(untriaged),
        last_hunt=hunt_id, last_hunt_new=new,
    )


def overviews(store: CaseStore) -> list[CaseOverview]:
    return [overview(store, info) for info in store.cases()]
