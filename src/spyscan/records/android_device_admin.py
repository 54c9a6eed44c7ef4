"""Device administrators and owners (``dumpsys device_policy``)."""

from __future__ import annotations

from spyscan.observables import Obs
from spyscan.records.base import Record


class DeviceAdmin(Record, frozen=True, tag="android.device_admin"):
    package: str
    component: str  # package/class as dumpsys writes it
    role: str = "admin"  # "admin" (an enabled device admin), "device_owner" or "profile_owner"
    user: int | None = None

    OBSERVABLES = (("package", Obs.APP_ID),)

    def summary(self) -> str:
        who = f" (user {self.user})" if self.user is not None else ""
        return f"{self.role.replace('_', ' ')} {self.component}{who}"
