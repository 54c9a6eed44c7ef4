"""System properties (androidqf getprop.txt, bugreport SYSTEM PROPERTIES)."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record


class AndroidProperty(Record, frozen=True, tag="android.property"):
    name: str  # the property name is what indicators name (android-property:name)
    value: str

    OBSERVABLES = (("name", Obs.ANDROID_PROPERTY),)

    def summary(self) -> str:
        return f"{self.name} = {self.value}"


class AndroidSecurityPatch(Record, frozen=True, tag="android.security_patch"):
    """The device's security patch level and the date it is judged against."""

    patch_level: str  # ro.build.version.security_patch as written
    patch_date: datetime | None
    reference: datetime  # the acquisition date when known, else the date of the check
    reference_is_acquisition: bool
    age_days: int | None = None  # days before the acquisition; None without an acquisition date

    def summary(self) -> str:
        return f"security patch {self.patch_level} ({self.age_days} days before the reference date)"
