"""Database operations recorded by dumpsys dbinfo."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_


class DatabaseOperation(Record, frozen=True, tag="android.db_operation"):
    process: str | None
    pid: int | None
    path: str | None  # database path
    action: str  # executeForCursorWindow, prepare, execute...
    sql: str | None = None
    time: datetime | None = None
    time_raw: str | None = None
    time_zone: str | None = None  # device time zone used to convert the local times above, when known
    timezone_assumed: bool = False  # True: no zone was known, device-local times are stored as if UTC

    TIMESTAMPS = (("time", N_("database operation")),)
    OBSERVABLES = (("path", Obs.FILE_PATH), ("process", Obs.APP_ID))

    def summary(self) -> str:
        return f"{self.process}: {self.action} on {self.path}"
