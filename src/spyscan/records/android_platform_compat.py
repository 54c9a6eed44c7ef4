"""Packages named in platform_compat overrides (also apps removed since)."""

from __future__ import annotations

from spyscan.observables import Obs
from spyscan.records.base import Record


class PlatformCompatPackage(Record, frozen=True, tag="android.platform_compat_package"):
    package: str
    change: str  # the compat change name (e.g. DOWNSCALED)
    override: str  # packageOverrides or rawOverrides

    OBSERVABLES = (("package", Obs.APP_ID),)

    def summary(self) -> str:
        return f"{self.package} in {self.change} {self.override}"
