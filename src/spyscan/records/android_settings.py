"""Android settings (androidqf settings_global.txt, settings_secure.txt, settings_system.txt)."""

from __future__ import annotations

from spyscan.records.base import Record


class AndroidSetting(Record, frozen=True, tag="android.setting"):
    namespace: str  # global, secure, system (from the file name)
    name: str
    value: str

    def summary(self) -> str:
        return f"{self.namespace}/{self.name} = {self.value}"
