"""A case store written before detections were grouped: its runs do not come back as "new" in a hunt."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import msgspec

from spyscan.cases.migrations import MIGRATIONS
from spyscan.cases.model import StoredDetection
from spyscan.cases.store import CaseStore
from spyscan.detection.model import IndicatorRef, ObservableRef
from spyscan.detection.pipeline import RecordPipeline
from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.model import Indicator
from spyscan.observables import Obs
from spyscan.records.base import Record, SourceRef


class Message(Record, frozen=True, tag="test.migration.message"):
    text: str

    OBSERVABLES = (("text", Obs.TEXT),)


def _v1_store(path: Path, detections: list[tuple[str, StoredDetection]]) -> None:
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        assert isinstance(statement, str)
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO cases (name, created) VALUES ('c', '2025-01-01T00:00:00Z')")
    db.execute("INSERT INTO runs (case_id, device, person, output, run_sha256, kind, input, registered, inputs_json,"
               " indicators_json) VALUES (1, 'd', 'P-1', '/o', 'x', 'ios-backup', '/i', 'now', '[]', '[]')")
    for old_id, detection in detections:
        db.execute("INSERT INTO detections (run_id, detection_id, severity, kind, detection_json) "
                   "VALUES (1, ?, ?, ?, ?)", (old_id, detection.severity, detection.kind,
                                              msgspec.json.encode(detection).decode()))
    db.commit()
    db.close()


def test_detections_stored_per_record_are_known_by_their_grouped_id(tmp_path: Path) -> None:
    indicator = Indicator(type="domain-name:value", value="evil.test", stix_id="indicator--1", malware="Spy",
                          file="spy.stix2")
    records = [Message(source=SourceRef(file="sms.db", table="message", rowid=n), text=f"go https://a.evil.test/{n}")
               for n in (4, 9)]
    # what a check gives today: one grouped detection for the two messages
    pipeline = RecordPipeline("ios.sms", IndicatorIndex.build([indicator]), [])
    for record in records:
        pipeline.feed(record)
    [grouped] = pipeline.finish()
    assert grouped.count == 2
    # what a store written before grouping holds: one detection per message, each with its own id
    old = [(f"old-id-{n}", StoredDetection(
        id=f"old-id-{n}", severity="high", kind="indicator", artifact="ios.sms", message="m", timestamp=None,
        observable=ObservableRef(type="url", value=f"https://a.evil.test/{n}"),
        indicator=IndicatorRef(value="evil.test", type="domain-name:value", malware="Spy", stix_id="indicator--1",
                               file="spy.stix2"),
        record={"record_type": "test.migration.message"})) for n in (4, 9)]
    path = tmp_path / "cases.sqlite"
    _v1_store(path, old)
    with CaseStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        known = store.known_ids(1)
    assert {"old-id-4", "old-id-9"} <= known
    assert grouped.id in known  # the next hunt's recheck gives this id: not new
