"""Log files collected by androidqf (logs/ folder) and logcat lines."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class AndroidLogFile(Record, frozen=True, tag="android.log_file"):
    path: str  # relative to the acquisition (logs/...)
    name: str
    size: int | None = None
    sha256: str | None = None
    modified: datetime | None = None  # time stored for the file in the acquisition
    modified_raw: Raw = None  # the stored value

    TIMESTAMPS = (("modified", N_("log file written")),)
    OBSERVABLES = (("name", Obs.FILE_NAME),)

    def summary(self) -> str:
        return f"{self.path} ({self.size} bytes)"


class LogcatEntry(Record, frozen=True, tag="android.logcat"):
    """A logcat line whose message names no host, URL, e-mail or IP address (nothing to match)."""

    time: datetime | None
    time_raw: str
    pid: int | None = None
    tid: int | None = None
    level: str | None = None
    tag: str | None = None
    message: str = ""
    year_inferred: bool = False  # the line had no year: taken from the acquisition date
    time_zone: str | None = None  # device time zone used to convert the local times above, when known
    timezone_assumed: bool = False  # True: no zone was known, device-local times are stored as if UTC

    TIMESTAMPS = (("time", N_("logcat entry")),)

    def summary(self) -> str:
        return f"{self.level or '?'}/{self.tag or '?'}({self.pid}): {self.message[:200]}"


class LogcatTextEntry(LogcatEntry, frozen=True, tag="android.logcat_text"):
    """A logcat line whose message looks like it names a host, URL, e-mail or IP: matched as free text.

    Splitting the two kinds keeps free-text matching (the costly part) to the lines that can match,
    with nothing stored twice.
    """

    OBSERVABLES = (("message", Obs.TEXT),)
