"""Triage: an analyst's decision about a finding on a device, kept as an append-only history.

A finding is identified by its grouped detection id, which does not depend on the run: the same
finding on a later acquisition of the same device has the same id, so its triage follows it. Each
decision (confirmed, benign, needs review) is a new row with who, when, the note, the state before
and a snapshot of what the finding showed then (``TriageEvidence``); rows are never altered.

A hunt never raises again a finding whose current triage is *benign* unless its evidence changed
since that triage (``evidence_changes``). The evidence changed when, compared with the snapshot (and
with what earlier hunts already raised again):

* ``severity``: the finding is now more severe (a feed now calls the value an operator's server);
* ``source``: an indicator entry (a STIX id) not listed before now lists the value (a new investigation);
* ``later``: it has an occurrence later than the latest one seen before (new activity);
* ``more``: it has more occurrences than before.
"""

from __future__ import annotations

import sqlite3

import msgspec

from spyscan.cases.model import EvidenceChange, SourceKey, StoredDetection, StoredRun, TriageEvidence
from spyscan.cases.store import CaseStore
from spyscan.detection.model import Detection, Severity
from spyscan.errors import UsageError
from spyscan.texts import tr
from spyscan.timeutil import from_iso, iso, utcnow

CONFIRMED, BENIGN, NEEDS_REVIEW = "confirmed", "benign", "needs_review"
STATES = (CONFIRMED, BENIGN, NEEDS_REVIEW)
MAX_NOTE = 4000
MAX_ANALYST = 100


class TriageEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    case: str
    device: str
    detection_id: str
    run_id: int
    state: str
    previous: str | None
    note: str
    analyst: str
    at: str
    evidence: TriageEvidence


def evidence_of(detection: Detection | StoredDetection) -> TriageEvidence:
    refs = list(detection.sources) or ([detection.indicator] if detection.indicator is not None else [])
    keys = sorted({SourceKey(r.stix_id, r.file) for r in refs}, key=lambda k: (k.stix_id, k.file))
    latest = detection.last_seen or detection.timestamp
    severity = detection.severity.value if isinstance(detection.severity, Severity) else str(detection.severity)
    return TriageEvidence(severity=severity, sources=keys, count=max(1, detection.count), latest=latest)


def _rank(severity: str) -> int:
    try:
        return Severity(severity).rank
    except ValueError:
        return -1


def _later(a: str | None, b: str | None) -> str | None:
    when_a, when_b = from_iso(a) if a else None, from_iso(b) if b else None
    if when_a is None:
        return b if when_b is not None else None
    if when_b is None:
        return a
    return a if when_a >= when_b else b


def merge_evidence(items: list[TriageEvidence]) -> TriageEvidence:
    """Everything several sightings of a finding showed together."""
    if not items:
        raise ValueError("nothing to merge")
    severity = max((i.severity for i in items), key=_rank)
    sources: dict[str, SourceKey] = {}
    for item in items:
        for key in item.sources:
            sources.setdefault(key.stix_id, key)
    latest: str | None = None
    for item in items:
        latest = _later(latest, item.latest)
    return TriageEvidence(severity=severity, sources=sorted(sources.values(), key=lambda k: (k.stix_id, k.file)),
                          count=max(i.count for i in items), latest=latest)


def evidence_changes(before: TriageEvidence, now: TriageEvidence) -> list[EvidenceChange]:
    """What ``now`` shows that ``before`` did not (empty: the evidence did not change)."""
    changes: list[EvidenceChange] = []
    if _rank(now.severity) > _rank(before.severity):
        changes.append(EvidenceChange("severity", before.severity, now.severity))
    known = {k.stix_id for k in before.sources}
    added = [k for k in now.sources if k.stix_id not in known]
    if added:
        changes.append(EvidenceChange("source", "", ", ".join(f"{k.file} ({k.stix_id})" for k in added)))
    latest_now = from_iso(now.latest) if now.latest else None
    latest_before = from_iso(before.latest) if before.latest else None
    if latest_now is not None and (latest_before is None or latest_now > latest_before):
        changes.append(EvidenceChange("later", before.latest or "", now.latest or ""))
    if now.count > before.count:
        changes.append(EvidenceChange("more", str(before.count), str(now.count)))
    return changes


# ---------------------------------------------------------------------------- the store


def _case_id(store: CaseStore, run: StoredRun) -> int:
    return store.case(run.case).id


def _entry(r: sqlite3.Row, case: str) -> TriageEntry:
    return TriageEntry(
        id=r["id"], case=case, device=r["device"], detection_id=r["detection_id"], run_id=r["run_id"],
        state=r["state"], previous=r["previous"], note=r["note"], analyst=r["analyst"], at=r["at"],
        evidence=msgspec.json.decode(r["evidence_json"], type=TriageEvidence),
    )


def history(store: CaseStore, run: StoredRun, detection_id: str) -> list[TriageEntry]:
    """Every triage of this finding on the run's device, oldest first."""
    rows = store.db.execute("SELECT * FROM triage WHERE case_id = ? AND device = ? AND detection_id = ? ORDER BY id",
                            (_case_id(store, run), run.device, detection_id)).fetchall()
    return [_entry(row, run.case) for row in rows]


def current(store: CaseStore, case: str, device: str | None = None) -> dict[tuple[str, str], TriageEntry]:
    """The current triage of every triaged finding of a case (or of one device): (device, id) -> entry."""
    case_id = store.case(case).id
    sql = "SELECT * FROM triage WHERE case_id = ?" + (" AND device = ?" if device is not None else "") + " ORDER BY id"
    params: tuple[object, ...] = (case_id, device) if device is not None else (case_id,)
    found: dict[tuple[str, str], TriageEntry] = {}
    for row in store.db.execute(sql, params):
        entry = _entry(row, case)
        found[(entry.device, entry.detection_id)] = entry  # later rows replace earlier ones
    return found


def for_run(store: CaseStore, run: StoredRun) -> dict[str, TriageEntry]:
    """The current triage of the findings of the run's device, by detection id."""
    return {det_id: entry for (_, det_id), entry in current(store, run.case, run.device).items()}


def device_evidence(store: CaseStore, run: StoredRun, detection_id: str) -> TriageEvidence | None:
    """What the finding shows on the run's device now: every stored sighting and every re-raise merged."""
    case_id = _case_id(store, run)
    decoder = msgspec.json.Decoder(StoredDetection)
    items: list[TriageEvidence] = []
    for (text,) in store.db.execute(
            "SELECT d.detection_json FROM detections d JOIN runs r ON r.id = d.run_id "
            "WHERE r.case_id = ? AND r.device = ? AND d.detection_id = ? "
            "UNION ALL SELECT h.detection_json FROM hunt_reraised h JOIN runs r ON r.id = h.run_id "
            "WHERE r.case_id = ? AND r.device = ? AND h.detection_id = ?",
            (case_id, run.device, detection_id, case_id, run.device, detection_id)):
        items.append(evidence_of(decoder.decode(text)))
    return merge_evidence(items) if items else None


def record(store: CaseStore, run_id: int, detection_id: str, state: str, note: str, analyst: str) -> TriageEntry:
    """Record a triage decision about a detection of a stored run (a new row; nothing is overwritten)."""
    if state not in STATES:
        raise UsageError(tr("unknown triage state '%(state)s'; one of: %(items)s", state=state,
                            items=', '.join(STATES)))
    analyst = " ".join(analyst.split())
    if not analyst or len(analyst) > MAX_ANALYST:
        raise UsageError(tr("give the analyst's name (1-%(max_analyst)s characters)", max_analyst=MAX_ANALYST))
    note = note.strip()
    if len(note) > MAX_NOTE or any(ord(c) < 32 and c not in "\n\t" for c in note):
        raise UsageError(tr('the note must be at most %(max_note)s characters of text', max_note=MAX_NOTE))
    run = store.run(run_id)
    if detection_id not in store.known_ids(run_id):
        raise UsageError(tr("run %(run_id)s has no detection '%(detection_id)s'", run_id=run_id,
                            detection_id=detection_id))
    evidence = device_evidence(store, run, detection_id)
    if evidence is None:
        raise UsageError(tr("run %(run_id)s has no detection '%(detection_id)s'", run_id=run_id,
                            detection_id=detection_id))
    previous = for_run(store, run).get(detection_id)
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO triage (case_id, device, detection_id, run_id, state, previous, note, analyst, at, "
            "evidence_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_case_id(store, run), run.device, detection_id, run_id, state,
             previous.state if previous is not None else None, note, analyst, iso(utcnow()),
             msgspec.json.encode(evidence).decode()),
        )
        row_id = int(cursor.lastrowid or 0)
    row = store.db.execute("SELECT * FROM triage WHERE id = ?", (row_id,)).fetchone()
    return _entry(row, run.case)


def benign_baselines(store: CaseStore, run: StoredRun) -> dict[str, TriageEvidence]:
    """For each finding of the run's device whose current triage is benign: the evidence it may show
    without being raised again (the snapshot of the triage, with what later hunts already raised)."""
    baselines: dict[str, TriageEvidence] = {}
    case_id = _case_id(store, run)
    decoder = msgspec.json.Decoder(StoredDetection)
    for det_id, entry in for_run(store, run).items():
        if entry.state != BENIGN:
            continue
        items = [entry.evidence]
        for (text,) in store.db.execute(
                "SELECT h.detection_json FROM hunt_reraised h JOIN runs r ON r.id = h.run_id "
                "WHERE r.case_id = ? AND r.device = ? AND h.detection_id = ?", (case_id, run.device, det_id)):
            items.append(evidence_of(decoder.decode(text)))
        baselines[det_id] = merge_evidence(items)
    return baselines


__all__ = [
    "BENIGN",
    "CONFIRMED",
    "NEEDS_REVIEW",
    "STATES",
    "EvidenceChange",
    "TriageEntry",
    "TriageEvidence",
    "benign_baselines",
    "current",
    "device_evidence",
    "evidence_changes",
    "evidence_of",
    "for_run",
    "history",
    "merge_evidence",
    "record",
]
