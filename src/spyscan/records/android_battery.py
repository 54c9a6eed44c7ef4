"""Battery statistics (dumpsys batterystats): daily package changes and history events."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class BatteryPackageChange(Record, frozen=True, tag="android.battery_package_change"):
    action: str  # "install"/"update" (Update), "uninstall" (Uninstall), "downgrade" (version went down)
    package: str
    version_code: int | None = None
    previous_version_code: int | None = None
    day_start: datetime | None = None
    day_end: datetime | None = None
    day_end_raw: Raw = None  # the stored value
    day_start_raw: str | None = None  # as written by dumpsys (device-local)
    time_zone: str | None = None  # device time zone used to convert the local times above, when known
    timezone_assumed: bool = False  # True: no zone was known, device-local times are stored as if UTC

    TIMESTAMPS = (("day_start", N_("package change (day start)")),)
    OBSERVABLES = (("package", Obs.APP_ID),)

    def summary(self) -> str:
        return f"{self.action} {self.package} version {self.version_code}"


class BatteryHistoryEvent(Record, frozen=True, tag="android.battery_history"):
    event: str  # "start" or "stop"
    category: str  # top, job, fg, sync, wake_lock, ...
    uid: str | None
    package: str | None
    detail: str  # the quoted text (package/service, wake lock tag...)
    time: datetime | None = None  # history reset time plus the relative offset, when known
    offset: str | None = None
    time_base_raw: str | None = None  # the TIME: mark the offset counts from, as written (device-local)
    time_zone: str | None = None  # device time zone used to convert the local times above, when known
    timezone_assumed: bool = False  # True: no zone was known, device-local times are stored as if UTC

    TIMESTAMPS = (("time", N_("battery history event")),)
    OBSERVABLES = (("package", Obs.APP_ID),)

    def summary(self) -> str:
        return f"{self.event} {self.category} {self.detail}"
