"""Hunts in the case store: which hunt ran with which indicators, and each run's outcome as it finished.

Every finished run of a hunt is committed at once (status and its new detections in one transaction),
so an interrupted hunt resumes where it stopped.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from spyscan.cases.model import EvidenceChange, HuntRunResult, StoredDetection
from spyscan.cases.store import CaseStore, summarize
from spyscan.errors import UsageError
from spyscan.texts import tr
from spyscan.timeutil import iso, utcnow


class HuntInfo(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    params_key: str
    params: dict[str, Any]
    indicators: list[dict[str, Any]]
    started: str
    finished: str | None


class HuntRunEntry(msgspec.Struct, frozen=True, kw_only=True):
    run_id: int
    status: str
    message: str
    records: int
    new: list[StoredDetection]
    changed: dict[str, list[EvidenceChange]] = {}  # findings triaged benign raised again: what changed
    suppressed: int = 0  # findings triaged benign not raised: their evidence did not change


def new_hunt(store: CaseStore, params_key: str, params: dict[str, Any], indicators: list[Any]) -> int:
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO hunts (params_key, params_json, indicators_json, started) VALUES (?, ?, ?, ?)",
            (params_key, json.dumps(params, sort_keys=True), msgspec.json.encode(indicators).decode(),
             iso(utcnow())),
        )
        return int(cursor.lastrowid or 0)


def get_hunt(store: CaseStore, hunt_id: int) -> HuntInfo:
    row = store.db.execute(
        "SELECT h.*, f.finished FROM hunts h LEFT JOIN hunt_finished f ON f.hunt_id = h.id WHERE h.id = ?",
        (hunt_id,),
    ).fetchone()
    if row is None:
        raise UsageError(tr('no hunt %(hunt_id)s in %(store)s', hunt_id=hunt_id, store=store.path))
    return HuntInfo(id=row["id"], params_key=row["params_key"], params=json.loads(row["params_json"]),
                    indicators=json.loads(row["indicators_json"]), started=row["started"], finished=row["finished"])


def latest_unfinished(store: CaseStore, params_key: str) -> int | None:
    row = store.db.execute(
        "SELECT h.id FROM hunts h LEFT JOIN hunt_finished f ON f.hunt_id = h.id "
        "WHERE h.params_key = ? AND f.hunt_id IS NULL ORDER BY h.id DESC LIMIT 1", (params_key,),
    ).fetchone()
    return None if row is None else int(row[0])


def done_runs(store: CaseStore, hunt_id: int) -> set[int]:
    return {int(r[0]) for r in store.db.execute("SELECT run_id FROM hunt_runs WHERE hunt_id = ?", (hunt_id,))}


def record_hunt_run(store: CaseStore, hunt_id: int, run_id: int, result: HuntRunResult) -> None:
    with store.transaction() as db:
        db.execute(
            "INSERT INTO hunt_runs (hunt_id, run_id, status, message, records, new_count, finished, suppressed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (hunt_id, run_id, result.status, result.message, result.records, len(result.new), iso(utcnow()),
             result.suppressed),
        )
        store._insert_detections(db, run_id, hunt_id, result.new)
        db.executemany(
            "INSERT INTO hunt_reraised (hunt_id, run_id, detection_id, changes_json, detection_json) "
            "VALUES (?, ?, ?, ?, ?)",
            [(hunt_id, run_id, d.id, msgspec.json.encode(result.changed[d.id]).decode(),
              msgspec.json.encode(summarize(d)).decode()) for d in result.new if d.id in result.changed],
        )


def finish_hunt(store: CaseStore, hunt_id: int) -> None:
    with store.transaction() as db:
        db.execute("INSERT OR IGNORE INTO hunt_finished (hunt_id, finished) VALUES (?, ?)", (hunt_id, iso(utcnow())))


def hunt_entries(store: CaseStore, hunt_id: int) -> list[HuntRunEntry]:
    """Outcome of every run of a hunt, with the detections it found (as stored: without records)."""
    decoder = msgspec.json.Decoder(StoredDetection)
    changes = msgspec.json.Decoder(list[EvidenceChange])
    found: dict[int, dict[str, StoredDetection]] = {}
    changed: dict[int, dict[str, list[EvidenceChange]]] = {}
    for row in store.db.execute("SELECT run_id, detection_json FROM detections WHERE hunt_id = ? ORDER BY id",
                                (hunt_id,)):
        detection = decoder.decode(row[1])
        found.setdefault(int(row[0]), {})[detection.id] = detection
    for row in store.db.execute("SELECT run_id, detection_id, changes_json, detection_json FROM hunt_reraised "
                                "WHERE hunt_id = ? ORDER BY rowid", (hunt_id,)):
        found.setdefault(int(row[0]), {}).setdefault(row[1], decoder.decode(row[3]))
        changed.setdefault(int(row[0]), {})[row[1]] = changes.decode(row[2])
    rows = store.db.execute("SELECT run_id, status, message, records, suppressed FROM hunt_runs WHERE hunt_id = ? "
                            "ORDER BY run_id", (hunt_id,))
    return [HuntRunEntry(run_id=r["run_id"], status=r["status"], message=r["message"], records=r["records"],
                         new=list(found.get(int(r["run_id"]), {}).values()),
                         changed=changed.get(int(r["run_id"]), {}), suppressed=r["suppressed"]) for r in rows]


def hunts(store: CaseStore) -> list[HuntInfo]:
    return [get_hunt(store, int(r[0])) for r in store.db.execute("SELECT id FROM hunts ORDER BY id")]
