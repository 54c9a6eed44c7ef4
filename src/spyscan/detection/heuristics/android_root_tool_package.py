"""A rooting, hooking or instrumentation tool is installed."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import root_tool_packages
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class AndroidRootToolPackage(Rule):
    id = "android.root_tool_package"
    title = N_("Rooting or hooking tool installed")
    severity = Severity.HIGH
    why = N_("Root managers (Magisk, SuperSU, KingRoot...), hooking frameworks (Xposed, LSPosed) and Frida let "
             "apps bypass Android's protections; spyware installers use them too. Ask whether the owner set them up.")
    record_types = (AndroidPackage,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidPackage)
        if record.package in root_tool_packages():
            yield Finding(record=record, message=tr("rooting/hooking tool installed: %(package)s",
                                                    package=record.package),
                          observable_type="app_id", observable_value=record.package)
