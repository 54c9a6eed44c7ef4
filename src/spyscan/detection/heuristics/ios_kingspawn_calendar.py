"""A calendar event titled "Meeting" with the notes "Notes": a QuaDream KingSpawn trace."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_people import CalendarEvent


class IOSKingSpawnCalendar(Rule):
    id = "ios.kingspawn_calendar"
    title = "Calendar event left by QuaDream KingSpawn"
    severity = Severity.HIGH
    why = ("Public research on QuaDream's KingSpawn spyware found it delivered its exploit as an iCloud "
           "calendar invitation, leaving an event titled 'Meeting' with the notes 'Notes' (often in the past).")
    record_types = (CalendarEvent,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, CalendarEvent):
            return
        if (record.title or "").strip() == "Meeting" and (record.notes or "").strip() == "Notes":
            yield Finding(record=record, message="calendar event 'Meeting' with notes 'Notes' "
                          f"(organiser {record.organizer_email or 'unknown'})")
