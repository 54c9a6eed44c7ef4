"""Mounted file systems (androidqf mounts.json: /proc/mounts or ``mount`` lines; a bugreport's
``/proc/<pid>/mountinfo`` copies)."""

from __future__ import annotations

from spyscan.records.base import Record


class AndroidMount(Record, frozen=True, tag="android.mount"):
    device: str
    mount_point: str
    fs_type: str
    options: list[str] = []  # the mount's options (in mountinfo: the per-mount, VFS layer)
    read_write: bool = False  # writable: both layers say rw where the source has two (mountinfo)
    superblock_options: list[str] = []  # mountinfo only: the file system's own (superblock) options

    def summary(self) -> str:
        mode = "rw" if self.read_write else "ro"
        return f"{self.device} on {self.mount_point} ({self.fs_type}, {mode})"
