"""An app other than the platform's is a device administrator or manages the phone."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import is_platform_package
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.android_device_admin import DeviceAdmin
from spyscan.records.base import Record
from spyscan.texts import N_, tr

ROLES = {"admin": N_("%(package)s is a device administrator (%(component)s)"),
         "device_owner": N_("%(package)s manages the whole phone (device owner) (%(component)s)"),
         "profile_owner": N_("%(package)s manages a profile of the phone (profile owner) (%(component)s)")}
OTHER_ROLE = N_("%(package)s has the device role %(role)s (%(component)s)")


class AndroidDeviceAdmin(Rule):
    id = "android.device_admin"
    title = N_("App with device administrator rights")
    severity = Severity.LOW
    category = CONTEXT
    why = N_("A device administrator can lock or wipe the phone and resist removal; stalkerware asks for it. "
             "Work and anti-theft apps use it too, so it matters together with the app's other traits.")
    record_types = (DeviceAdmin,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, DeviceAdmin)
        if is_platform_package(record.package):
            return
        message = tr(ROLES.get(record.role, OTHER_ROLE),
                     package=record.package, role=record.role, component=record.component)
        yield Finding(record=record, message=message,
                      observable_type="app_id", observable_value=record.package)
