"""Reboots recorded in iOS ``shutdown.log``: the processes that were still running at each shutdown."""

from __future__ import annotations

from datetime import datetime

import msgspec

from spyscan.observables import Obs
from spyscan.records.base import Record


class ShutdownClient(msgspec.Struct, frozen=True, omit_defaults=True):
    pid: int | None
    path: str  # as written in the log (may be empty)
    name: str  # base name of the path
    delayed: int = 0  # in how many "After N.NNs, these clients are still here" sections it was listed
    waited: float | None = None  # longest delay (seconds) after which it was still running


class ShutdownReboot(Record, frozen=True, tag="ios.shutdown_reboot"):
    """One shutdown (closed by its SIGTERM line): clients still running, delays, how long it waited."""

    reboot_time: datetime | None
    reboot_time_raw: str | None
    clients: list[ShutdownClient]
    client_paths: list[str]  # distinct paths, for indicator matching (file paths)
    client_names: list[str]  # distinct base names, for indicator matching (processes)
    delays: int  # number of delay sections
    waited_seconds: float | None  # longest delay
    delayed_clients: int  # distinct clients still running after at least one delay
    complete: bool = True  # False: the block has no SIGTERM line (log cut or rewritten)
    log_file: str = ""

    TIMESTAMPS = (("reboot_time", "device shut down (shutdown.log)"),)
    OBSERVABLES = (("client_paths", Obs.FILE_PATH), ("client_names", Obs.PROCESS))

    def summary(self) -> str:
        waited = f", waited {self.waited_seconds:.2f}s" if self.waited_seconds is not None else ""
        return (f"shutdown with {len(self.clients)} client(s) still running, {self.delays} delay(s){waited}, "
                f"{self.delayed_clients} delayed client(s)")
