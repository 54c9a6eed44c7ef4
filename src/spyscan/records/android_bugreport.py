"""Records specific to Android bugreports (system properties use ``android_properties.AndroidProperty``)."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_


class BugreportFileTimestamp(Record, frozen=True, tag="android.bugreport.fs_file"):
    """One file copied under ``FS/`` in a bugreport, with its modification time."""

    path: str  # device path, e.g. "/data/tombstones/tombstone_00"
    name: str  # base name
    size: int
    mtime: datetime | None = None
    mtime_raw: str | None = None  # as stored (zip: device-local wall-clock time)
    time_zone: str | None = None  # the device time zone used to convert mtime, when known
    timezone_assumed: bool = False  # True: no zone was known, the stored local time is kept as if UTC

    TIMESTAMPS = (("mtime", N_("file modified")),)
    OBSERVABLES = (("path", Obs.FILE_PATH), ("name", Obs.FILE_NAME))

    def summary(self) -> str:
        return f"{self.path} ({self.size} bytes)"
