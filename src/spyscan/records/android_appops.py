"""App operations (dumpsys appops): per package and operation, the mode and the last uses."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_


class AppOpEntry(Record, frozen=True, tag="android.appop"):
    package: str
    uid: str | None
    op: str  # e.g. REQUEST_INSTALL_PACKAGES
    mode: str | None  # allow, deny, ignore, default, foreground
    last_access: datetime | None = None
    last_reject: datetime | None = None
    access_count: int = 0
    reject_count: int = 0
    last_access_raw: str | None = None  # as written by dumpsys (device-local)
    last_reject_raw: str | None = None
    time_zone: str | None = None  # device time zone used to convert the local times above, when known
    timezone_assumed: bool = False  # True: no zone was known, device-local times are stored as if UTC

    TIMESTAMPS = (("last_access", N_("app operation used")), ("last_reject", N_("app operation refused")))
    OBSERVABLES = (("package", Obs.APP_ID),)

    def summary(self) -> str:
        return f"{self.package} {self.op} mode={self.mode} accesses={self.access_count}"
