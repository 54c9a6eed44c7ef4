"""Lockdown Mode is not enabled."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import PROTECTION, Severity
from spyscan.records.base import Record
from spyscan.records.ios_system import GlobalPreferences
from spyscan.texts import N_, tr


class IOSLockdownModeOff(Rule):
    id = "ios.lockdown_mode_off"
    title = N_("Lockdown Mode is off")
    severity = Severity.INFO
    category = PROTECTION  # advice: shown under "Protect this phone", never changes the verdict
    advice = N_("If you are at high risk of targeted attacks, turn on Lockdown Mode: Settings > Privacy & Security > "
                "Lockdown Mode.")
    why = N_("Lockdown Mode (iOS 16+) blocks most zero-click attack surfaces used by mercenary spyware. "
             "People at high risk may want to turn it on.")
    record_types = (GlobalPreferences,)

    def check(self, record: Record) -> Iterable[Finding]:
        if isinstance(record, GlobalPreferences) and not record.lockdown_mode_enabled:
            message = (tr("Lockdown Mode is disabled") if record.lockdown_key_present
                       else tr("Lockdown Mode is never enabled (no LDMGlobalEnabled key)"))
            yield Finding(record=record, message=message)
