"""Versioned schema of the case store: ``MIGRATIONS[n]`` moves ``PRAGMA user_version`` from n to n + 1.

A migration is a list of SQL statements and Python steps (called with the connection, inside the
migration's transaction). Never edit a released migration; append a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import msgspec

Step = str | Callable[[sqlite3.Connection], None]


def _append_only(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'stored {table} are never altered'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'stored {table} are never deleted'); END",
    ]


V1 = [
    "CREATE TABLE cases (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created TEXT NOT NULL)",
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        device TEXT NOT NULL,
        person TEXT NOT NULL,              -- pseudonymous person id
        acquired TEXT,                     -- acquisition date (YYYY-MM-DD)
        output TEXT NOT NULL,              -- absolute path of the output folder (never copied)
        run_sha256 TEXT NOT NULL,          -- SHA-256 of its run.json when registered
        kind TEXT NOT NULL,
        input TEXT NOT NULL,
        started TEXT,
        finished TEXT,
        registered TEXT NOT NULL,
        inputs_json TEXT NOT NULL,         -- custody hashes of the inputs (from run.json)
        indicators_json TEXT NOT NULL,     -- indicator files used, with SHA-256 and counts
        indicator_set_version TEXT,
        tool_version TEXT,
        UNIQUE (case_id, output)
    )""",
    """CREATE TABLE hunts (
        id INTEGER PRIMARY KEY,
        params_key TEXT NOT NULL,
        params_json TEXT NOT NULL,
        indicators_json TEXT NOT NULL,
        started TEXT NOT NULL
    )""",
    """CREATE TABLE hunt_finished (
        hunt_id INTEGER PRIMARY KEY REFERENCES hunts(id),
        finished TEXT NOT NULL
    )""",
    """CREATE TABLE hunt_runs (
        hunt_id INTEGER NOT NULL REFERENCES hunts(id),
        run_id INTEGER NOT NULL REFERENCES runs(id),
        status TEXT NOT NULL,              -- ok, missing, changed, error
        message TEXT NOT NULL,
        records INTEGER NOT NULL,
        new_count INTEGER NOT NULL,
        finished TEXT NOT NULL,
        PRIMARY KEY (hunt_id, run_id)
    )""",
    """CREATE TABLE detections (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        detection_id TEXT NOT NULL,
        hunt_id INTEGER REFERENCES hunts(id),  -- NULL: found by the original check
        severity TEXT NOT NULL,
        kind TEXT NOT NULL,
        stix_id TEXT,
        family TEXT,
        detection_json TEXT NOT NULL,      -- the detection without its record (see store.summarize)
        UNIQUE (run_id, detection_id)
    )""",
    "CREATE INDEX detections_run ON detections(run_id)",
    "CREATE INDEX hunts_key ON hunts(params_key)",
    *_append_only("runs"),
    *_append_only("detections"),
    *_append_only("hunt_runs"),
]

def _finding_ids_of_stored_detections(db: sqlite3.Connection) -> None:
    """Detections stored before grouping (one per record) get the id of their finding (one per rule or
    indicator, observed value and artifact), so that the next hunt does not report them again as new."""
    from spyscan.cases.model import StoredDetection
    from spyscan.detection.grouping import stored_finding_id

    decoder = msgspec.json.Decoder(StoredDetection)
    rows = db.execute("SELECT id, run_id, detection_json FROM detections").fetchall()
    aliases = []
    for row_id, run_id, text in rows:
        try:
            detection = decoder.decode(text)
        except (msgspec.DecodeError, msgspec.ValidationError):
            continue
        finding = stored_finding_id(detection.kind, detection.artifact, detection.rule, detection.indicator,
                                    detection.observable, detection.message)
        if finding is not None:
            aliases.append((run_id, finding, row_id))
    db.executemany("INSERT OR IGNORE INTO finding_ids (run_id, finding_id, detection_row) VALUES (?, ?, ?)",
                   aliases)


V2: list[Step] = [
    """CREATE TABLE finding_ids (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        finding_id TEXT NOT NULL,          -- the grouped id of a detection stored with a per-record id
        detection_row INTEGER NOT NULL REFERENCES detections(id),
        UNIQUE (run_id, finding_id, detection_row)
    )""",
    "CREATE INDEX finding_ids_run ON finding_ids(run_id)",
    _finding_ids_of_stored_detections,
    *_append_only("finding_ids"),
]

V3: list[Step] = [
    # triage: what an analyst decided about a finding on a device, as an append-only history
    """CREATE TABLE triage (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        device TEXT NOT NULL,
        detection_id TEXT NOT NULL,        -- the grouped finding id (the same in every run of the device)
        run_id INTEGER NOT NULL REFERENCES runs(id),  -- the run the analyst was looking at
        state TEXT NOT NULL CHECK (state IN ('confirmed', 'benign', 'needs_review')),
        previous TEXT,                     -- the state before (NULL: first triage)
        note TEXT NOT NULL,
        analyst TEXT NOT NULL,
        at TEXT NOT NULL,                  -- UTC
        evidence_json TEXT NOT NULL        -- what the finding showed when triaged (cases.triage.TriageEvidence)
    )""",
    "CREATE INDEX triage_finding ON triage(case_id, device, detection_id)",
    *_append_only("triage"),
    # a finding triaged benign that a hunt raised again because its evidence changed
    """CREATE TABLE hunt_reraised (
        hunt_id INTEGER NOT NULL REFERENCES hunts(id),
        run_id INTEGER NOT NULL REFERENCES runs(id),
        detection_id TEXT NOT NULL,
        changes_json TEXT NOT NULL,        -- what changed (cases.triage.EvidenceChange list)
        detection_json TEXT NOT NULL,      -- the detection without its record (see store.summarize)
        PRIMARY KEY (hunt_id, run_id, detection_id)
    )""",
    *_append_only("hunt_reraised"),
    # findings a hunt did not raise because they were triaged benign and their evidence did not change
    "ALTER TABLE hunt_runs ADD COLUMN suppressed INTEGER NOT NULL DEFAULT 0",
]

V4: list[Step] = [
    # the run's verdict (spyscan.verdict: traces / review / clean / incomplete), as its run.json gives it;
    # NULL for runs registered before the store kept it
    "ALTER TABLE runs ADD COLUMN verdict TEXT",
]

MIGRATIONS: list[list[Step]] = [list(V1), V2, V3, V4]
