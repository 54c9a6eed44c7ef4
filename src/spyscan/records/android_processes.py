"""Running Android processes (ps.txt, processes.json)."""

from __future__ import annotations

from spyscan.observables import Obs
from spyscan.records.base import Record


class AndroidProcess(Record, frozen=True, tag="android.process"):
    name: str
    pid: int | None = None
    ppid: int | None = None
    user: str | None = None
    uid: int | None = None
    label: str | None = None  # SELinux context when present
    cmdline: str | None = None
    executable: str | None = None  # path of the executable when known (androidqf collector JSON)
    working_dir: str | None = None  # cwd (androidqf collector JSON)
    previous_label: str | None = None  # SELinux context before the last exec (collector JSON)

    OBSERVABLES = (("name", Obs.PROCESS), ("executable", Obs.PROCESS), ("executable", Obs.FILE_PATH))

    def summary(self) -> str:
        return f"{self.name} (pid {self.pid}, user {self.user or self.uid})"
