"""Running Android processes (androidqf ps.txt / processes.txt / processes.json, a bugreport's process list)."""

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
    kernel_name: str | None = None  # the 15-character name the list showed, when ``name`` is the full name
    # behind it (a bugreport lists an app process by its name's last 15 characters)
    threads: list[str] = []  # names of the process's other threads (a bugreport lists threads)

    OBSERVABLES = (("name", Obs.PROCESS), ("executable", Obs.PROCESS), ("executable", Obs.FILE_PATH),
                   ("threads", Obs.PROCESS))

    def summary(self) -> str:
        return f"{self.name} (pid {self.pid}, user {self.user or self.uid})"
