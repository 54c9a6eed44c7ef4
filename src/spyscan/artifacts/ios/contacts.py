"""Address book (``AddressBook.sqlitedb``: ``ABPerson`` + ``ABMultiValue``): names, numbers, e-mails."""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios._common import integer, rows, text
from spyscan.artifacts.ios._table import Row, TableArtifact
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.sqlite import has_table
from spyscan.records.base import SourceRef
from spyscan.records.ios_people import Contact
from spyscan.texts import N_, tr

REL = "Library/AddressBook/AddressBook.sqlitedb"
SPECS = (IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}",)),)
PERSON_COLUMNS = ("First", "Last", "Organization", "Note", "CreationDate", "ModificationDate")
PHONE, EMAIL, URL = 3, 4, 22  # ABMultiValue.property values


def _multivalues(conn: sqlite3.Connection, log: ArtifactLog, label: str) -> dict[tuple[int, int], list[str]]:
    """The values of each (person, property), in ``UID`` order."""
    values: dict[tuple[int, int], list[str]] = defaultdict(list)
    if not has_table(conn, "ABMultiValue"):
        log.warn(tr('%(file)s: no ABMultiValue table; phone numbers and e-mails left empty', file=label))
        return values
    for row in rows(conn, "SELECT record_id, property, value FROM ABMultiValue ORDER BY UID"):
        person, prop, value = integer(row["record_id"]), integer(row["property"]), text(row["value"])
        if person is not None and prop is not None and value:
            values[(person, prop)].append(value)
    return values


class Contacts(TableArtifact):
    id = "ios.contacts"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Contacts (address book)")
    records = (Contact,)
    specs = SPECS
    what = "AddressBook.sqlitedb"
    table = "ABPerson"
    key = "ROWID"
    alias = "p"
    columns = PERSON_COLUMNS

    def context(self, conn: sqlite3.Connection, log: ArtifactLog, label: str) -> dict[tuple[int, int], list[str]]:
        return _multivalues(conn, log, label)

    def record(self, row: Row, log: ArtifactLog) -> Contact:
        values: dict[tuple[int, int], list[str]] = row.context
        pid = row.key or 0
        return Contact(
            recovered=row.recovered,
            source=SourceRef(file=row.file.label, table=row.table, rowid=pid),
            person_id=pid,
            first_name=row.text("First"),
            last_name=row.text("Last"),
            organization=row.text("Organization"),
            note=row.text("Note"),
            phones=values.get((pid, PHONE), []),
            emails=values.get((pid, EMAIL), []),
            urls=values.get((pid, URL), []),
            created=row.cocoa("CreationDate"),
            created_raw=row.raw("CreationDate"),
            modified=row.cocoa("ModificationDate"),
            modified_raw=row.raw("ModificationDate"),
        )
