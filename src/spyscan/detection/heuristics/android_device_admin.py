"""An app other than the platform's is a device administrator or manages the phone."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import is_platform_package
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.android_device_admin import DeviceAdmin
from spyscan.records.base import Record

ROLES = {"admin": "is a device administrator", "device_owner": "manages the whole phone (device owner)",
         "profile_owner": "manages a profile of the phone (profile owner)"}


class AndroidDeviceAdmin(Rule):
    id = "android.device_admin"
    title = "App with device administrator rights"
    severity = Severity.LOW
    category = CONTEXT
    why = ("A device administrator can lock or wipe the phone and resist removal; stalkerware asks for it. "
           "Work and anti-theft apps use it too, so it matters together with the app's other traits.")
    record_types = (DeviceAdmin,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, DeviceAdmin)
        if is_platform_package(record.package):
            return
        yield Finding(record=record, message=f"{record.package} {ROLES.get(record.role, record.role)} "
                                             f"({record.component})",
                      observable_type="app_id", observable_value=record.package)
