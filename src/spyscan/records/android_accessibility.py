"""Accessibility services (dumpsys accessibility): installed and enabled ones."""

from __future__ import annotations

from spyscan.observables import Obs
from spyscan.records.base import Record


class AccessibilityService(Record, frozen=True, tag="android.accessibility_service"):
    package: str
    component: str  # package/class as dumpsys writes it
    enabled: bool = False
    installed: bool = False
    bound: bool = False

    OBSERVABLES = (("package", Obs.APP_ID),)

    def summary(self) -> str:
        state = "enabled" if self.enabled else ("bound" if self.bound else "installed")
        return f"accessibility service {self.component} ({state})"
