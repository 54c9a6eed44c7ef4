"""Android Advanced Protection is available on the phone but off."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import PROTECTION, Severity
from spyscan.records.android_settings import AndroidSetting, advanced_protection
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class AndroidAdvancedProtectionOff(Rule):
    id = "android.advanced_protection_off"
    title = N_("Advanced Protection is off")
    severity = Severity.INFO
    category = PROTECTION  # advice, shown apart from the verdict
    advice = N_("If you are at high risk of targeted attacks, turn on Advanced Protection (Android 16 or later): in "
                "Settings, under Security & privacy.")
    why = N_("Android Advanced Protection (Android 16+) turns on the phone's strongest defences against "
             "targeted attacks and keeps intrusion logs. People at high risk may want to turn it on.")
    record_types = (AndroidSetting,)

    def check(self, record: Record) -> Iterable[Finding]:
        if isinstance(record, AndroidSetting) and advanced_protection(record) is False:
            yield Finding(record=record, message=tr("Advanced Protection is available on this phone and turned off"))
