"""Address book (``AddressBook.sqlitedb``: ``ABPerson`` + ``ABMultiValue``): names, numbers, e-mails."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    cocoa,
    col,
    databases,
    integer,
    present_columns,
    raw_value,
    rows,
    salvaged,
    text,
)
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.sqlite import has_table
from spyscan.records.base import SourceRef
from spyscan.records.ios_people import Contact
from spyscan.texts import N_, tr

REL = "Library/AddressBook/AddressBook.sqlitedb"
SPECS = (IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}",)),)
PERSON_COLUMNS = ("First", "Last", "Organization", "Note", "CreationDate", "ModificationDate")
PHONE, EMAIL, URL = 3, 4, 22  # ABMultiValue.property values


class Contacts(Artifact):
    id = "ios.contacts"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Contacts (address book)")
    records = (Contact,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Contact]:
        for file, conn in databases(evidence, SPECS, "AddressBook.sqlitedb", log, "ABPerson"):
            values: dict[tuple[int, int], list[str]] = defaultdict(list)
            if has_table(conn, "ABMultiValue"):
                for row in rows(conn, "SELECT record_id, property, value FROM ABMultiValue ORDER BY UID"):
                    person, prop, value = integer(row["record_id"]), integer(row["property"]), text(row["value"])
                    if person is not None and prop is not None and value:
                        values[(person, prop)].append(value)
            else:
                log.warn(tr('%(file)s: no ABMultiValue table; phone numbers and e-mails left empty', file=file.label))
            p = present_columns(conn, "ABPerson", PERSON_COLUMNS, log, file.label)
            select = ", ".join(f"{col('p', x, p)} AS {x}" for x in PERSON_COLUMNS)
            for row in rows(conn, f"SELECT p.ROWID AS rid, {select} FROM ABPerson AS p ORDER BY p.ROWID"):
                pid = integer(row["rid"]) or 0
                yield Contact(
                    recovered=salvaged(conn),
                    source=SourceRef(file=file.label, table="ABPerson", rowid=pid),
                    person_id=pid,
                    first_name=text(row["First"]),
                    last_name=text(row["Last"]),
                    organization=text(row["Organization"]),
                    note=text(row["Note"]),
                    phones=values.get((pid, PHONE), []),
                    emails=values.get((pid, EMAIL), []),
                    urls=values.get((pid, URL), []),
                    created=cocoa(row["CreationDate"]),
                    created_raw=raw_value(row["CreationDate"]),
                    modified=cocoa(row["ModificationDate"]),
                    modified_raw=raw_value(row["ModificationDate"]),
                )
