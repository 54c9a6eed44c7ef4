"""A system partition is mounted read-write."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_mounts import AndroidMount
from spyscan.records.base import Record
from spyscan.texts import N_, tr

SYSTEM_MOUNTS = ("/", "/system", "/system_root", "/vendor", "/product", "/system_ext", "/odm", "/oem",
                 "/apex")
PSEUDO_FS = frozenset({"tmpfs", "proc", "sysfs", "devpts", "selinuxfs", "cgroup", "cgroup2", "debugfs", "tracefs",
                       "pstore", "configfs", "bpf", "functionfs", "binder", "fuse", "rootfs"})


def is_system_mount(mount_point: str) -> bool:
    return any(mount_point == m or (m != "/" and mount_point.startswith(m + "/")) for m in SYSTEM_MOUNTS)


class AndroidSystemMountReadWrite(Rule):
    id = "android.system_mount_rw"
    title = N_("System partition mounted read-write")
    severity = Severity.HIGH
    why = N_("System partitions are read-only on a normal phone; mounted read-write they can be changed to "
             "hide persistent malware, which requires root.")
    record_types = (AndroidMount,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidMount)
        if record.read_write and record.fs_type not in PSEUDO_FS and is_system_mount(record.mount_point):
            yield Finding(record=record, message=tr("%(mount)s (%(device)s, %(fs)s) is mounted read-write",
                                                    mount=record.mount_point, device=record.device,
                                                    fs=record.fs_type))
