"""Log files collected by androidqf (logs/ folder) and logcat lines."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record


class AndroidLogFile(Record, frozen=True, tag="android.log_file"):
    path: str  # relative to the acquisition (logs/...)
    name: str
    size: int | None = None
    sha256: str | None = None
    modified: datetime | None = None  # time stored for the file in the acquisition

    TIMESTAMPS = (("modified", "log file written"),)
    OBSERVABLES = (("name", Obs.FILE_NAME),)

    def summary(self) -> str:
        return f"{self.path} ({self.size} bytes)"


class LogcatEntry(Record, frozen=True, tag="android.logcat"):
    time: datetime | None
    time_raw: str
    pid: int | None = None
    tid: int | None = None
    level: str | None = None
    tag: str | None = None
    message: str = ""

    TIMESTAMPS = (("time", "logcat entry"),)
    OBSERVABLES = (("message", Obs.TEXT),)

    def summary(self) -> str:
        return f"{self.level or '?'}/{self.tag or '?'}({self.pid}): {self.message[:200]}"
