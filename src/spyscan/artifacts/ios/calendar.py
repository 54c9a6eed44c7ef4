"""Calendar events (``Calendar.sqlitedb``: ``CalendarItem`` + ``Participant``): titles, notes, e-mails."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    cocoa,
    col,
    columns_of,
    databases,
    integer,
    present_columns,
    raw_value,
    rows,
    salvaged,
    split_handle,
    text,
)
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.sqlite import has_table
from spyscan.records.base import SourceRef
from spyscan.records.ios_people import CalendarEvent
from spyscan.texts import N_, tr

REL = "Library/Calendar/Calendar.sqlitedb"
SPECS = (IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}",)),)
ITEM_COLUMNS = ("summary", "description", "start_date", "end_date", "creation_date", "last_modified",
                "organizer_id", "calendar_id", "location_id", "url")


class Participants:
    """E-mail of every participant row, and the participants of each item."""

    def __init__(self, conn: sqlite3.Connection, log: ArtifactLog, label: str) -> None:
        self.email: dict[int, str] = {}
        self.by_owner: dict[int, list[int]] = defaultdict(list)
        if not has_table(conn, "Participant"):
            log.warn(tr('%(label)s: no Participant table; organiser and attendees left empty', label=label))
            return
        p = present_columns(conn, "Participant", ("owner_id", "email", "identity_id"), log, label)
        identity = "identity_id" in p and has_table(conn, "Identity")
        sql = (f"SELECT p.ROWID AS rid, {col('p', 'owner_id', p)} AS owner, {col('p', 'email', p)} AS email, "
               f"{'i.address' if identity else 'NULL'} AS address FROM Participant AS p "
               f"{'LEFT JOIN Identity AS i ON i.ROWID = p.identity_id' if identity else ''}")
        for row in rows(conn, sql):
            rid = integer(row["rid"])
            if rid is None:
                continue
            email = split_handle(text(row["email"]) or text(row["address"]))[1]
            if email:
                self.email[rid] = email
            owner = integer(row["owner"])
            if owner is not None:
                self.by_owner[owner].append(rid)


def _names(conn: sqlite3.Connection, table: str) -> dict[int, str]:
    if "title" not in columns_of(conn, table):
        return {}
    sql = f"SELECT ROWID AS rid, title FROM {table}"
    return {integer(r["rid"]) or 0: text(r["title"]) or "" for r in rows(conn, sql)}


class Calendar(Artifact):
    id = "ios.calendar"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Calendar events")
    records = (CalendarEvent,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[CalendarEvent]:
        for file, conn in databases(evidence, SPECS, "Calendar.sqlitedb", log, "CalendarItem"):
            people = Participants(conn, log, file.label)
            calendars, locations = _names(conn, "Calendar"), _names(conn, "Location")
            c = present_columns(conn, "CalendarItem", ITEM_COLUMNS, log, file.label)
            select = ", ".join(f"{col('c', x, c)} AS {x}" for x in ITEM_COLUMNS)
            for row in rows(conn, f"SELECT c.ROWID AS rid, {select} FROM CalendarItem AS c ORDER BY c.ROWID"):
                rid = integer(row["rid"]) or 0
                organizer = integer(row["organizer_id"])
                attendees = [people.email[p] for p in people.by_owner.get(rid, [])
                             if p != organizer and p in people.email]
                yield CalendarEvent(
                    recovered=salvaged(conn),
                    source=SourceRef(file=file.label, table="CalendarItem", rowid=rid),
                    event_id=rid,
                    title=text(row["summary"]),
                    notes=text(row["description"]),
                    location=locations.get(integer(row["location_id"]) or -1),
                    url=text(row["url"]),
                    calendar=calendars.get(integer(row["calendar_id"]) or -1),
                    organizer_email=people.email.get(organizer) if organizer is not None else None,
                    attendee_emails=sorted(set(attendees)),
                    start=cocoa(row["start_date"], None),  # chosen by a person: no floor
                    start_raw=raw_value(row["start_date"]),
                    end=cocoa(row["end_date"], None),
                    end_raw=raw_value(row["end_date"]),
                    created=cocoa(row["creation_date"]),
                    created_raw=raw_value(row["creation_date"]),
                    modified=cocoa(row["last_modified"]),
                    modified_raw=raw_value(row["last_modified"]),
                )
