"""Android settings (androidqf settings_global.txt, settings_secure.txt, settings_system.txt; a bugreport's
``dumpsys settings``)."""

from __future__ import annotations

from spyscan.records.base import Record


class AndroidSetting(Record, frozen=True, tag="android.setting"):
    namespace: str  # global, secure, system (from the file name)
    name: str
    value: str
    user: int | None = None  # the Android user the setting belongs to, when the source says (dumpsys settings)
    sdk: int | None = None  # the phone's API level (ro.build.version.sdk), for settings whose meaning changed

    def summary(self) -> str:
        who = f" (user {self.user})" if self.user is not None else ""
        return f"{self.namespace}/{self.name} = {self.value}{who}"


# AOSP AdvancedProtectionService reads Settings.Secure "advanced_protection_mode" of user 0; 1 means on.
# Phones without the feature (before Android 16) have no such setting.
ADVANCED_PROTECTION_SETTING = "advanced_protection_mode"


def advanced_protection(record: AndroidSetting) -> bool | None:
    """Android Advanced Protection on (True), off (False), or not said by this setting (None)."""
    if record.name != ADVANCED_PROTECTION_SETTING or record.namespace != "secure" or record.user not in (None, 0):
        return None
    value = record.value.strip()
    return True if value == "1" else (False if value == "0" else None)
