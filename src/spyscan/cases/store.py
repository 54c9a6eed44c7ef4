"""The case store: an embedded SQLite database registering spyscan output folders by reference.

The store never copies evidence or records: it keeps each output folder's absolute path with the
SHA-256 of its ``run.json``, the run's custody hashes and indicator set, and a summary of every
detection (without the record it came from) so that later hunts know what is already known.
Registered runs and detections are append-only (SQLite triggers refuse updates and deletes).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec

from spyscan.cases.migrations import MIGRATIONS
from spyscan.cases.model import CaseInfo, RunCheck, StoredDetection, StoredRun
from spyscan.detection.model import Detection, DetectionsFile
from spyscan.errors import UsageError
from spyscan.indicators.storage import data_dir, make_private_dir
from spyscan.report.runfile import FAILED, INTERRUPTED, RUNNING, RunInfo, read_run
from spyscan.texts import tr
from spyscan.timeutil import iso, utcnow
from spyscan.verdict import verdict_of

ENV_STORE = "SPYSCAN_STORE"
STORE_FILE = "cases.sqlite"


def default_store_path() -> Path:
    env = os.environ.get(ENV_STORE)
    return Path(env).expanduser() if env else data_dir() / STORE_FILE


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def summarize(detection: Detection) -> StoredDetection:
    """A detection without its record: what matched, where (source reference), when."""
    record = detection.record if isinstance(detection.record, dict) else {}
    trimmed: dict[str, Any] = {k: record[k] for k in ("record_type", "source") if k in record}
    return StoredDetection(
        id=detection.id, severity=detection.severity.value, kind=detection.kind, artifact=detection.artifact,
        message=detection.message, timestamp=detection.timestamp, observable=detection.observable,
        indicator=detection.indicator, rule=detection.rule, match=detection.match, record=trimmed,
        category=detection.category, sources=list(detection.sources), count=detection.count,
        last_seen=detection.last_seen,
    )


def check_run_folder(output: str, expected_sha256: str) -> RunCheck:
    """Is a registered output folder still there and unchanged?"""
    run_file = Path(output) / "run.json"
    if not run_file.is_file():
        return RunCheck(status="missing", message=f"output folder {output} is missing (no run.json)")
    try:
        actual = sha256_of(run_file)
    except OSError as exc:
        return RunCheck(status="missing", message=f"cannot read {run_file}: {exc.strerror or exc}")
    if actual != expected_sha256:
        return RunCheck(status="changed",
                        message=f"{run_file} changed since it was registered (SHA-256 {actual[:12]}..., "
                                f"registered {expected_sha256[:12]}...)")
    return RunCheck(status="ok", message="")


class CaseStore:
    """Open (creating and migrating as needed) the store at ``path``."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = (path or default_store_path()).expanduser().resolve()
        self._create_private()
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise UsageError(tr('%(self)s is not a usable spyscan case store: %(error)s', self=self.path,
                                error=exc)) from None

    def _create_private(self) -> None:
        if self.path.exists() and not self.path.is_file():
            raise UsageError(tr('the case store %(self)s exists and is not a file', self=self.path))
        make_private_dir(self.path.parent)
        if not self.path.exists():
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        os.chmod(self.path, 0o600)

    def _migrate(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise UsageError(tr('the case store %(self)s was written by a newer spyscan (schema %(version)s, this '
                                'one knows %(count)s); upgrade spyscan', self=self.path, version=version,
                                count=len(MIGRATIONS)))
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for step in script:
                    if isinstance(step, str):
                        self.db.execute(step)
                    else:
                        step(self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ------------------------------------------------------------------ cases
    def new_case(self, name: str) -> CaseInfo:
        name = name.strip()
        if not name or len(name) > 200 or any(c in name for c in "\n\r\t/\\"):
            raise UsageError(tr('a case name must be 1-200 characters without slashes, tabs or line breaks'))
        try:
            with self.transaction() as db:
                db.execute("INSERT INTO cases (name, created) VALUES (?, ?)", (name, iso(utcnow())))
        except sqlite3.IntegrityError:
            raise UsageError(tr("a case named '%(name)s' already exists", name=name)) from None
        return self.case(name)

    def case(self, name: str) -> CaseInfo:
        row = self.db.execute(
            "SELECT c.id, c.name, c.created, COUNT(r.id) AS runs, COUNT(DISTINCT r.device) AS devices "
            "FROM cases c LEFT JOIN runs r ON r.case_id = c.id WHERE c.name = ? GROUP BY c.id", (name,)
        ).fetchone()
        if row is None:
            raise UsageError(tr("no case named '%(name)s' in %(self)s (see `spyscan case list`)", name=name,
                                self=self.path))
        return CaseInfo(id=row["id"], name=row["name"], created=row["created"], runs=row["runs"],
                        devices=row["devices"])

    def cases(self) -> list[CaseInfo]:
        rows = self.db.execute("SELECT name FROM cases ORDER BY name").fetchall()
        return [self.case(row["name"]) for row in rows]

    # ------------------------------------------------------------------ runs
    def add_run(self, case_name: str, output: Path, device: str | None = None, person: str | None = None,
                acquired: str | None = None) -> StoredRun:
        """Register an output folder of ``spyscan check``/``recheck`` in a case."""
        case = self.case(case_name)
        folder = output.expanduser().resolve()
        run_file = folder / "run.json"
        if not run_file.is_file() or not (folder / "records").is_dir():
            raise UsageError(tr('%(folder)s is not a spyscan output folder (run.json and records/ expected)',
                                folder=folder))
        try:
            run = read_run(run_file)
            detections = msgspec.json.decode((folder / "detections.json").read_bytes(), type=DetectionsFile)
        except OSError as exc:
            raise UsageError(tr('cannot read the results in %(folder)s: %(value)s', folder=folder,
                                value=exc.strerror or exc)) from None
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise UsageError(tr('%(folder)s holds unreadable spyscan results: %(error)s', folder=folder,
                                error=exc)) from None
        if run.finished is None or run.status in (RUNNING, FAILED):
            raise UsageError(tr('the run in %(folder)s did not finish; check the acquisition again', folder=folder))
        if run.status == INTERRUPTED:
            raise UsageError(tr('the run in %(folder)s was interrupted before every part was checked; check the '
                                'acquisition again to completion before registering it', folder=folder))
        digest = sha256_of(run_file)
        device = (device or _device_label(run)).strip()
        if not device:
            raise UsageError(tr('give a device label with --device'))
        person = person or self._person_for(case.id, device) or f"P-{secrets.token_hex(4)}"
        acquired = acquired or (run.started[:10] if run.started else None)
        try:
            with self.transaction() as db:
                cursor = db.execute(
                    "INSERT INTO runs (case_id, device, person, acquired, output, run_sha256, kind, input, "
                    "started, finished, registered, inputs_json, indicators_json, indicator_set_version, "
                    "tool_version, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (case.id, device, person, acquired, str(folder), digest, run.kind, run.input, run.started,
                     run.finished, iso(utcnow()), _json(run.inputs), _json(run.indicators),
                     run.indicator_set_version, run.version, verdict_of(run, detections.detections).state),
                )
                run_id = int(cursor.lastrowid or 0)
                self._insert_detections(db, run_id, None, detections.detections)
        except sqlite3.IntegrityError:
            raise UsageError(tr("%(folder)s is already registered in case '%(case)s'", folder=folder,
                                case=case.name)) from None
        return self.run(run_id)

    def _person_for(self, case_id: int, device: str) -> str | None:
        row = self.db.execute("SELECT person FROM runs WHERE case_id = ? AND device = ? ORDER BY id LIMIT 1",
                              (case_id, device)).fetchone()
        return None if row is None else str(row["person"])

    @staticmethod
    def _insert_detections(db: sqlite3.Connection, run_id: int, hunt_id: int | None,
                           detections: list[Detection]) -> None:
        db.executemany(
            "INSERT OR IGNORE INTO detections (run_id, detection_id, hunt_id, severity, kind, stix_id, family, "
            "detection_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, d.id, hunt_id, d.severity.value, d.kind, d.indicator.stix_id if d.indicator else None,
              d.indicator.malware if d.indicator else None, msgspec.json.encode(summarize(d)).decode())
             for d in detections],
        )

    def run(self, run_id: int) -> StoredRun:
        row = self.db.execute(_RUN_SELECT + " WHERE r.id = ?", (run_id,)).fetchone()
        if row is None:
            raise UsageError(tr('no stored run %(run_id)s', run_id=run_id))
        return _stored_run(row)

    def runs(self, case_name: str | None = None) -> list[StoredRun]:
        if case_name is None:
            rows = self.db.execute(_RUN_SELECT + " ORDER BY r.id").fetchall()
        else:
            case = self.case(case_name)
            rows = self.db.execute(_RUN_SELECT + " WHERE r.case_id = ? ORDER BY r.id", (case.id,)).fetchall()
        return [_stored_run(row) for row in rows]

    def known_ids(self, run_id: int) -> set[str]:
        """Ids of the detections known for a run (also the grouped ids of detections stored before grouping)."""
        rows = self.db.execute("SELECT detection_id FROM detections WHERE run_id = ? "
                               "UNION SELECT finding_id FROM finding_ids WHERE run_id = ?", (run_id, run_id))
        return {str(row[0]) for row in rows}

    def detections(self, run_id: int) -> list[StoredDetection]:
        rows = self.db.execute("SELECT detection_json FROM detections WHERE run_id = ? ORDER BY id", (run_id,))
        decoder = msgspec.json.Decoder(StoredDetection)
        return [decoder.decode(row[0]) for row in rows]


_RUN_SELECT = (
    "SELECT r.*, c.name AS case_name, "
    "(SELECT COUNT(*) FROM detections d WHERE d.run_id = r.id) AS detection_count, "
    "(SELECT COUNT(*) FROM detections d WHERE d.run_id = r.id AND d.hunt_id IS NOT NULL) AS hunted_count "
    "FROM runs r JOIN cases c ON c.id = r.case_id"
)


def _stored_run(row: sqlite3.Row) -> StoredRun:
    return StoredRun(
        id=row["id"], case=row["case_name"], device=row["device"], person=row["person"],
        acquired=row["acquired"], output=row["output"], run_sha256=row["run_sha256"], kind=row["kind"],
        input=row["input"], started=row["started"], registered=row["registered"],
        inputs=json.loads(row["inputs_json"]), indicators=json.loads(row["indicators_json"]),
        indicator_set_version=row["indicator_set_version"], detections=row["detection_count"],
        hunted_detections=row["hunted_count"], verdict=row["verdict"],
    )


def _json(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _device_label(run: RunInfo) -> str:
    return run.device.label() or run.kind
