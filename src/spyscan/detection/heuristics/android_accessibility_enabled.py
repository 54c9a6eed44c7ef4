"""A non-system accessibility service is enabled."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import is_platform_package
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_accessibility import AccessibilityService
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class AndroidAccessibilityEnabled(Rule):
    id = "android.accessibility_enabled"
    title = N_("Accessibility service enabled")
    severity = Severity.MEDIUM
    why = N_("An accessibility service can read the screen and act for the user; stalkerware and banking "
             "trojans abuse it to read messages and grant themselves permissions.")
    record_types = (AccessibilityService,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AccessibilityService)
        if (record.enabled or record.bound) and not is_platform_package(record.package):
            yield Finding(record=record, message=tr("accessibility service enabled: %(component)s",
                                                    component=record.component),
                          observable_type="app_id", observable_value=record.package)
