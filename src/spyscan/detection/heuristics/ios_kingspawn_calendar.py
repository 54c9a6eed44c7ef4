"""A calendar event titled "Meeting" with the notes "Notes": a QuaDream KingSpawn trace."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_people import CalendarEvent
from spyscan.texts import N_, tr


class IOSKingSpawnCalendar(Rule):
    id = "ios.kingspawn_calendar"
    title = N_("Calendar event left by QuaDream KingSpawn")
    severity = Severity.HIGH
    why = N_("Public research on QuaDream's KingSpawn spyware found it delivered its exploit as an iCloud "
             "calendar invitation, leaving an event titled 'Meeting' with the notes 'Notes' (often in the past).")
    record_types = (CalendarEvent,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, CalendarEvent):
            return
        if (record.title or "").strip() == "Meeting" and (record.notes or "").strip() == "Notes":
            yield Finding(record=record,
                          message=tr("calendar event 'Meeting' with notes 'Notes' (organiser %(organiser)s)",
                                                     organiser=record.organizer_email or tr("unknown")))
