"""Mounted file systems (androidqf mounts.txt / /proc/mounts or ``mount`` output)."""

from __future__ import annotations

from spyscan.records.base import Record


class AndroidMount(Record, frozen=True, tag="android.mount"):
    device: str
    mount_point: str
    fs_type: str
    options: list[str] = []
    read_write: bool = False

    def summary(self) -> str:
        mode = "rw" if self.read_write else "ro"
        return f"{self.device} on {self.mount_point} ({self.fs_type}, {mode})"
