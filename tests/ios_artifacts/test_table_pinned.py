"""The exact output of the iOS database artifacts moved onto ``TableArtifact``, pinned on generated databases.

Each case runs one artifact on one database (a full schema, an older one with missing columns and tables,
a view or a WITHOUT ROWID table where a table is expected, a crafted ``ROWID`` column, a damaged file that
is salvaged) and compares everything it produced with ``pinned/table_artifacts.json``: every record
(serialised), every warning in order, the refused parts, the recovered and truncated marks, the conversion
faults and the error that ended it. The file was written by the hand-written artifacts before they were
moved, so a refactor that changes any of it fails here. ``SPYSCAN_REPIN=1`` rewrites the file (only when
a change of output is intended, and reviewed in the diff).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import msgspec
import pytest

from spyscan import faults
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios.calendar import Calendar
from spyscan.artifacts.ios.contacts import Contacts
from tests.builders.sqlite import SqliteContent
from tests.ios_artifacts.fakes import FakeIOS

PINNED = Path(__file__).parent / "pinned" / "table_artifacts.json"
CALENDAR = "Library/Calendar/Calendar.sqlitedb"
ADDRESS_BOOK = "Library/AddressBook/AddressBook.sqlitedb"
BAD_UTF8 = "CAST(X'6d6565f4696e67' AS TEXT)"  # invalid UTF-8 stored as TEXT


class Damaged(NamedTuple):
    """A multi-page database made by ``statements`` with two interior pages overwritten (salvaged when
    opened: its records are marked recovered)."""

    statements: list[str]

    def build(self) -> bytes:
        conn = sqlite3.connect(":memory:")
        conn.execute("PRAGMA page_size = 1024")
        for statement in self.statements:
            conn.execute(statement)
        data = bytearray(conn.serialize())
        conn.close()
        assert len(data) > 60 * 1024
        for page in (30, 31):
            data[page * 1024:(page + 1) * 1024] = b"\xff" * 1024
        return bytes(data)


CALENDAR_FULL = [
    "CREATE TABLE Calendar (ROWID INTEGER PRIMARY KEY, title TEXT)",
    "CREATE TABLE Location (ROWID INTEGER PRIMARY KEY, title TEXT)",
    "CREATE TABLE Identity (ROWID INTEGER PRIMARY KEY, address TEXT)",
    "CREATE TABLE Participant (ROWID INTEGER PRIMARY KEY, owner_id INTEGER, email TEXT, identity_id INTEGER)",
    "CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT, description TEXT, start_date REAL,"
    " end_date REAL, creation_date REAL, last_modified REAL, organizer_id INTEGER, calendar_id INTEGER,"
    " location_id INTEGER, url TEXT)",
    "INSERT INTO Calendar VALUES (1, 'Home'), (2, NULL), (3, CAST(X'ff00' AS BLOB))",
    "INSERT INTO Location VALUES (4, 'Office'), (5, '')",
    "INSERT INTO Identity VALUES (1, 'mailto:attacker@bad-domain.test'), (2, 'tel:+155500'), (3, NULL)",
    "INSERT INTO Participant VALUES (10, 9, NULL, 1), (11, 9, 'me@example.org', NULL), (12, 9, 'ME@example.org', 2),"
    " (13, 2, 'x@example.org', 3), (14, 2, NULL, 2), (15, NULL, 'orphan@example.org', NULL),"
    " (16, 9, 'me@example.org', NULL), (17, 'nine', 'text-owner@example.org', NULL)",
    "INSERT INTO CalendarItem VALUES (9, 'Meeting', 'Notes https://bad-domain.test/x', -3.0e7, -2.9e7, 650000000,"
    " 650000000.5, 10, 1, 4, 'https://example.org/invite')",
    "INSERT INTO CalendarItem VALUES (2, 'Dentist', NULL, 650000000, 650001000, NULL, 0, 13, 2, 5, NULL)",
    f"INSERT INTO CalendarItem VALUES (5, {BAD_UTF8}, X'00ff', 'tomorrow', 1e300, -1, 'x', 'ten', 3, 99, 42)",
    "INSERT INTO CalendarItem VALUES (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
]

CALENDAR_OLD = [
    "CREATE TABLE Calendar (ROWID INTEGER PRIMARY KEY, name TEXT)",
    "CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT, start_date REAL, end_date REAL,"
    " organizer_id INTEGER, calendar_id INTEGER)",
    "INSERT INTO Calendar VALUES (1, 'Home')",
    "INSERT INTO CalendarItem VALUES (3, 'Old event', 400000000, 400003600, 1, 1)",
    "INSERT INTO CalendarItem VALUES (4, 'Other', NULL, NULL, NULL, NULL)",
]

CALENDAR_PARTIAL_PARTICIPANTS = [
    "CREATE TABLE Participant (ROWID INTEGER PRIMARY KEY, owner_id INTEGER, identity_id INTEGER)",
    "CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT, description TEXT, start_date REAL,"
    " end_date REAL, creation_date REAL, last_modified REAL, organizer_id INTEGER, calendar_id INTEGER,"
    " location_id INTEGER, url TEXT)",
    "INSERT INTO Participant VALUES (1, 1, 1)",
    "INSERT INTO CalendarItem VALUES (1, 'Event', NULL, 600000000, 600000100, NULL, NULL, 1, NULL, NULL, NULL)",
]

CALENDAR_PARTICIPANT_VIEW = [
    "CREATE TABLE P0 (ROWID INTEGER PRIMARY KEY, owner_id INTEGER, email TEXT, identity_id INTEGER)",
    "CREATE VIEW Participant AS SELECT * FROM P0",
    "CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT)",
    "INSERT INTO CalendarItem VALUES (1, 'Event')",
]

CALENDAR_ITEM_VIEW = [
    "CREATE TABLE C0 (ROWID INTEGER PRIMARY KEY, summary TEXT)",
    "CREATE VIEW CalendarItem AS SELECT * FROM C0",
]

CALENDAR_CRAFTED_ROWID = [
    "CREATE TABLE CalendarItem (ROWID TEXT, summary TEXT, organizer_id INTEGER)",
    "INSERT INTO CalendarItem VALUES ('abc', 'text key', NULL), (NULL, 'no key', NULL), ('7', 'seven', NULL),"
    " (0, 'zero', NULL)",
]

CALENDAR_WITHOUT_ROWID = [
    "CREATE TABLE CalendarItem (id INTEGER PRIMARY KEY, summary TEXT) WITHOUT ROWID",
    "INSERT INTO CalendarItem VALUES (1, 'x')",
]

CONTACTS_FULL = [
    "CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY, First TEXT, Last TEXT, Organization TEXT, Note TEXT,"
    " CreationDate INTEGER, ModificationDate INTEGER)",
    "CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, identifier INTEGER,"
    " label INTEGER, value TEXT)",
    "INSERT INTO ABPerson VALUES (7, 'Ana', 'Lopez', 'ACME', 'see https://bad-domain.test', 600000000, 650000000)",
    f"INSERT INTO ABPerson VALUES (2, {BAD_UTF8}, NULL, NULL, X'00', 'yesterday', -1)",
    "INSERT INTO ABPerson VALUES (3, NULL, NULL, NULL, NULL, NULL, NULL)",
    "INSERT INTO ABMultiValue VALUES (5, 7, 4, 0, 1, 'attacker@bad-domain.test')",
    "INSERT INTO ABMultiValue VALUES (1, 7, 3, 0, 1, '+52 555 000')",
    "INSERT INTO ABMultiValue VALUES (2, 7, 3, 0, 1, '')",
    "INSERT INTO ABMultiValue VALUES (3, 7, 22, 0, 1, 'https://example.org')",
    "INSERT INTO ABMultiValue VALUES (4, 7, 5, 0, 1, 'other property')",
    "INSERT INTO ABMultiValue VALUES (6, 2, 3, 0, 1, 12345)",
    "INSERT INTO ABMultiValue VALUES (7, NULL, 3, 0, 1, '+1 orphan')",
    "INSERT INTO ABMultiValue VALUES (8, 2, 'three', 0, 1, '+1 text property')",
    "INSERT INTO ABMultiValue VALUES (9, 'two', 3, 0, 1, '+1 text owner')",
    "INSERT INTO ABMultiValue VALUES (10, 0, 4, 0, 1, 'zero@example.org')",
]

CONTACTS_OLD = [
    "CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY, First TEXT, Last TEXT, CreationDate INTEGER)",
    "INSERT INTO ABPerson VALUES (1, 'Ana', NULL, 500000000)",
]

CONTACTS_NO_UID = [
    "CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY, First TEXT)",
    "CREATE TABLE ABMultiValue (record_id INTEGER, property INTEGER, value TEXT)",
    "INSERT INTO ABPerson VALUES (1, 'Ana')",
]

CONTACTS_MULTIVALUE_VIEW = [
    "CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY, First TEXT)",
    "CREATE TABLE M0 (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, value TEXT)",
    "CREATE VIEW ABMultiValue AS SELECT * FROM M0",
    "INSERT INTO ABPerson VALUES (1, 'Ana')",
]

CONTACTS_PERSON_VIEW = [
    "CREATE TABLE P0 (ROWID INTEGER PRIMARY KEY, First TEXT)",
    "CREATE VIEW ABPerson AS SELECT * FROM P0",
]

CONTACTS_CRAFTED_ROWID = [
    "CREATE TABLE ABPerson (ROWID TEXT, First TEXT)",
    "CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, value TEXT)",
    "INSERT INTO ABPerson VALUES ('abc', 'text key'), (NULL, 'no key'), ('7', 'seven'), (0, 'zero')",
    "INSERT INTO ABMultiValue VALUES (1, 0, 3, '+1 zero'), (2, 7, 3, '+1 seven')",
]

CONTACTS_WITHOUT_ROWID = [
    "CREATE TABLE ABPerson (id INTEGER PRIMARY KEY, First TEXT) WITHOUT ROWID",
    "INSERT INTO ABPerson VALUES (1, 'x')",
]


def _many(count: int, row: Callable[[int], str]) -> str:
    return ",".join(row(i) for i in range(1, count + 1))


CALENDAR_DAMAGED = Damaged([
    "CREATE TABLE Calendar (ROWID INTEGER PRIMARY KEY, title TEXT)",
    "INSERT INTO Calendar VALUES (1, 'Home'), (2, 'Work')",
    "CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT, start_date REAL, calendar_id INTEGER)",
    "INSERT INTO CalendarItem VALUES "
    + _many(1500, lambda i: f"({i}, 'event {i:05d} {'x' * 60}', {600_000_000 + i}, {i % 3})"),
])

CONTACTS_DAMAGED = Damaged([
    "CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY, First TEXT, Last TEXT)",
    "INSERT INTO ABPerson VALUES " + _many(1500, lambda i: f"({i}, 'first {i:05d} {'x' * 60}', 'last')"),
    "CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, value TEXT)",
    "INSERT INTO ABMultiValue VALUES " + _many(1500, lambda i: f"({i}, {i}, 3, '+1555{i:06d}')"),
])

NO_TABLE = ["CREATE TABLE x (a)"]
Database = SqliteContent | Damaged
CASES: dict[str, tuple[type[Artifact], str, Database]] = {
    **{f"calendar/{name}": (Calendar, CALENDAR, database) for name, database in {
        "full": CALENDAR_FULL, "old_schema": CALENDAR_OLD, "partial_participants": CALENDAR_PARTIAL_PARTICIPANTS,
        "participant_view": CALENDAR_PARTICIPANT_VIEW, "item_view": CALENDAR_ITEM_VIEW,
        "crafted_rowid": CALENDAR_CRAFTED_ROWID, "without_rowid": CALENDAR_WITHOUT_ROWID, "no_table": NO_TABLE,
        "damaged": CALENDAR_DAMAGED}.items()},
    **{f"contacts/{name}": (Contacts, ADDRESS_BOOK, database) for name, database in {
        "full": CONTACTS_FULL, "old_schema": CONTACTS_OLD, "no_uid": CONTACTS_NO_UID,
        "multivalue_view": CONTACTS_MULTIVALUE_VIEW, "person_view": CONTACTS_PERSON_VIEW,
        "crafted_rowid": CONTACTS_CRAFTED_ROWID, "without_rowid": CONTACTS_WITHOUT_ROWID, "no_table": NO_TABLE,
        "damaged": CONTACTS_DAMAGED}.items()},
}


def outcome(artifact: type[Artifact], evidence: FakeIOS) -> dict[str, Any]:
    """Everything the artifact produced, as JSON values."""
    log = ArtifactLog()
    records: list[Any] = []
    error = None
    with faults.collecting() as noted:
        try:
            for record in artifact().collect(evidence, log):
                records.append([type(record).__name__, msgspec.to_builtins(record)])
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
    return {"records": records, "warnings": log.warnings, "dropped_warnings": log.dropped_warnings,
            "unread": log.unread, "recovered": log.recovered, "truncated": log.truncated, "facts": log.facts,
            "faults": noted.warnings(), "error": error}


def run_case(name: str, tmp_path: Path) -> dict[str, Any]:
    artifact, relative, database = CASES[name]
    evidence = FakeIOS(tmp_path)
    if isinstance(database, Damaged):
        evidence.add_bytes("HomeDomain", relative, database.build())
    else:
        evidence.add_sqlite("HomeDomain", relative, database)
    return outcome(artifact, evidence)


def _pinned() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(PINNED.read_text(encoding="utf-8")) if PINNED.exists() else {}
    return loaded


FULL_RECORDS = 12  # past this many records (a salvaged database) the rest are pinned by their digest


def pinned_form(found: dict[str, Any]) -> dict[str, Any]:
    """``found`` as JSON values; a long list of records is kept as its first records, count and digest."""
    form: dict[str, Any] = json.loads(json.dumps(found))
    records = form["records"]
    if len(records) > FULL_RECORDS:
        canonical = json.dumps(records, sort_keys=True, ensure_ascii=False).encode("utf-8")
        form["records"] = {"count": len(records), "first": records[:FULL_RECORDS],
                           "sha256": hashlib.sha256(canonical).hexdigest()}
    return form


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_is_pinned(name: str, tmp_path: Path) -> None:
    found = pinned_form(run_case(name, tmp_path))
    if os.environ.get("SPYSCAN_REPIN") == "1":
        pinned = _pinned()
        pinned[name] = found
        PINNED.parent.mkdir(exist_ok=True)
        PINNED.write_text(json.dumps(pinned, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    assert name in _pinned(), f"{name} is not pinned yet (SPYSCAN_REPIN=1)"
    assert found == _pinned()[name]


def test_the_cases_exercise_what_they_claim(tmp_path: Path) -> None:
    """The pinned file holds records, warnings, refusals, faults, errors and salvage, so it pins them."""
    pinned = _pinned()
    assert set(pinned) == set(CASES)
    for artifact in ("calendar", "contacts"):
        mine = {k: v for k, v in pinned.items() if k.startswith(artifact + "/")}
        assert mine[f"{artifact}/full"]["records"] and mine[f"{artifact}/full"]["faults"]
        assert mine[f"{artifact}/old_schema"]["warnings"]
        assert mine[f"{artifact}/crafted_rowid"]["records"]
        assert mine[f"{artifact}/without_rowid"]["error"]
        assert mine[f"{artifact}/no_table"]["error"].startswith("ArtifactNotFound")
        assert any(v["unread"] for v in mine.values())
        damaged = mine[f"{artifact}/damaged"]
        assert damaged["recovered"] and damaged["records"]["count"] > FULL_RECORDS
        assert all(r[1]["recovered"] for r in damaged["records"]["first"])
