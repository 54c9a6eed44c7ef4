"""``dumpsys device_policy``: the apps that are device administrators, device owner or profile owner.

AOSP DevicePolicyData ``dump`` writes ``Enabled Device Admins (User N, provisioningState: P):`` followed
by one ``package/.Class:`` line per admin, one level deeper, and that admin's policies deeper still (older
releases write ``Enabled Device Admins (User N):`` and ``ComponentInfo{package/class}:``). The owners are
blocks ``Device Owner:`` and ``Profile Owner (User N):`` holding ``admin=ComponentInfo{package/class}``.
A device admin can stop its own removal and lock or wipe the phone: stalkerware asks for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.android.dumpsys_common import component_package, indent_of
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.base import Evidence
from spyscan.records.android_device_admin import DeviceAdmin
from spyscan.records.base import SourceRef
from spyscan.texts import N_

_ADMINS = re.compile(r"^\s*Enabled Device Admins \(User (?P<user>\d+)")
_COMPONENT = re.compile(r"^\s*(?:ComponentInfo\{)?(?P<component>[\w.$]+/[\w.$]+)\}?:\s*$")
_OWNER = re.compile(r"^\s*(?P<role>Device|Profile) Owner(?: \(User (?P<user>\d+)\))?:\s*$")
_OWNER_ADMIN = re.compile(r"^\s*admin=ComponentInfo\{(?P<component>[\w.$]+/[\w.$]+)\}")
_USER = re.compile(r"User ID: (?P<user>\d+)")


def parse_device_admins(section: DumpsysSection) -> Iterator[DeviceAdmin]:
    block: tuple[str, int, int | None] | None = None  # (kind, indent of its header, user)
    child: int | None = None  # indent of the admins' lines in an admins block
    for number, line in section.lines():
        if not line.strip():
            continue
        indent = indent_of(line)
        if block is not None and indent <= block[1]:
            block, child = None, None
        if (admins := _ADMINS.match(line)) is not None:
            block, child = ("admin", indent, int(admins["user"])), None
            continue
        if (owner := _OWNER.match(line)) is not None:
            role = "device_owner" if owner["role"] == "Device" else "profile_owner"
            block = (role, indent, int(owner["user"]) if owner["user"] else None)
            continue
        if block is None:
            continue
        kind, _, user = block
        ref = SourceRef(file=section.file, line=number, key=section.name)
        if kind == "admin" and (child is None or indent == child) and (item := _COMPONENT.match(line)):
            child = indent
            yield DeviceAdmin(source=ref, package=component_package(item["component"]),
                              component=item["component"], role="admin", user=user)
        elif kind != "admin" and (item := _OWNER_ADMIN.match(line)):
            yield DeviceAdmin(source=ref, package=component_package(item["component"]),
                              component=item["component"], role=kind, user=user)


class DumpsysDeviceAdmins(Artifact):
    id = "android.dumpsys.device_admins"
    kinds = ("androidqf", "bugreport")
    same_data = "dumpsys:device_policy"
    title = N_("Device administrators (dumpsys device_policy)")
    records = (DeviceAdmin,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[DeviceAdmin]:
        yield from parse_device_admins(require_section(evidence, "device_policy", log=log))
