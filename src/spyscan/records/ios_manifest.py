"""Entries of an iOS backup's Manifest.db: every file and folder the backup holds, with its metadata."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class IOSBackupFile(Record, frozen=True, tag="ios.backup_file"):
    file_id: str
    domain: str
    relative_path: str
    entry_type: str  # "file", "directory", "symlink" or "unknown"
    device_path: str | None = None  # where the file lives on the device, when the domain is known
    file_name: str | None = None
    size: int | None = None
    mode: str | None = None  # octal permission bits as stored, e.g. "100644"
    protection_class: int | None = None
    created: datetime | None = None
    created_raw: Raw = None  # the stored value
    modified: datetime | None = None
    modified_raw: Raw = None  # the stored value
    status_changed: datetime | None = None
    status_changed_raw: Raw = None  # the stored value
    link_target: str | None = None

    TIMESTAMPS = (
        ("modified", N_("file modified")),
        ("created", N_("file created")),
        ("status_changed", N_("file metadata changed")),
    )
    OBSERVABLES = (("device_path", Obs.FILE_PATH), ("file_name", Obs.FILE_NAME))

    def summary(self) -> str:
        size = "?" if self.size is None else str(self.size)
        return f"{self.domain}/{self.relative_path} ({self.entry_type}, {size} B)"
