"""Files listed on the device (androidqf files.json) and root binaries found (root_binaries.json)."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class AndroidFile(Record, frozen=True, tag="android.file"):
    path: str
    size: int | None = None
    mode: str | None = None
    uid: int | None = None
    gid: int | None = None
    user: str | None = None  # owner and group names (androidqf ``find -printf`` fallback gives names only)
    group: str | None = None
    context: str | None = None  # SELinux label
    sha256: str | None = None
    sha1: str | None = None
    md5: str | None = None
    sha512: str | None = None
    error: str | None = None  # androidqf's error for this entry (e.g. permission denied while hashing)
    modified: datetime | None = None
    modified_raw: Raw = None  # the stored value
    changed: datetime | None = None
    changed_raw: Raw = None  # the stored value
    accessed: datetime | None = None
    accessed_raw: Raw = None  # the stored value

    TIMESTAMPS = (("modified", N_("file modified")), ("changed", N_("file metadata changed")),
                  ("accessed", N_("file accessed")))
    OBSERVABLES = (("path", Obs.FILE_PATH), ("sha256", Obs.SHA256), ("sha1", Obs.SHA1), ("md5", Obs.MD5))

    def summary(self) -> str:
        return f"{self.path} ({self.size} bytes)"


class AndroidRootBinary(Record, frozen=True, tag="android.root_binary"):
    path: str

    OBSERVABLES = (("path", Obs.FILE_PATH),)

    def summary(self) -> str:
        return f"root binary present: {self.path}"
