"""Calendar events (``Calendar.sqlitedb``: ``CalendarItem`` + ``Participant``): titles, notes, e-mails."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import NamedTuple

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios._common import col, columns_of, integer, present_columns, rows, split_handle, text
from spyscan.artifacts.ios._table import Row, TableArtifact
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


class Lookups(NamedTuple):
    """What an event needs from the rest of its database: participants, calendar and location names."""

    people: Participants
    calendars: dict[int, str]
    locations: dict[int, str]


class Calendar(TableArtifact):
    id = "ios.calendar"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Calendar events")
    records = (CalendarEvent,)
    specs = SPECS
    what = "Calendar.sqlitedb"
    table = "CalendarItem"
    key = "ROWID"
    alias = "c"
    columns = ITEM_COLUMNS

    def context(self, conn: sqlite3.Connection, log: ArtifactLog, label: str) -> Lookups:
        return Lookups(Participants(conn, log, label), _names(conn, "Calendar"), _names(conn, "Location"))

    def record(self, row: Row, log: ArtifactLog) -> CalendarEvent:
        lookups: Lookups = row.context
        people = lookups.people
        rid = row.key or 0
        organizer = row.integer("organizer_id")
        attendees = [people.email[p] for p in people.by_owner.get(rid, []) if p != organizer and p in people.email]
        return CalendarEvent(
            recovered=row.recovered,
            source=SourceRef(file=row.file.label, table=row.table, rowid=rid),
            event_id=rid,
            title=row.text("summary"),
            notes=row.text("description"),
            location=lookups.locations.get(row.integer("location_id") or -1),
            url=row.text("url"),
            calendar=lookups.calendars.get(row.integer("calendar_id") or -1),
            organizer_email=people.email.get(organizer) if organizer is not None else None,
            attendee_emails=sorted(set(attendees)),
            start=row.cocoa("start_date", None),  # chosen by a person: no floor
            start_raw=row.raw("start_date"),
            end=row.cocoa("end_date", None),
            end_raw=row.raw("end_date"),
            created=row.cocoa("creation_date"),
            created_raw=row.raw("creation_date"),
            modified=row.cocoa("last_modified"),
            modified_raw=row.raw("last_modified"),
        )
