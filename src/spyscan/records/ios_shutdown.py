"""Reboots recorded in iOS ``shutdown.log``: the processes that were still running at each shutdown."""

from __future__ import annotations

from datetime import datetime

import msgspec

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_


class ShutdownClient(msgspec.Struct, frozen=True, omit_defaults=True):
    pid: int | None
    path: str  # as written in the log, without the trailing /<UUID> of iOS 26 (may be empty)
    name: str  # base name of the path
    delayed: int = 0  # in how many "After N.NNs, these clients are still here" notices it was listed
    waited: float | None = None  # longest delay (seconds) after which it was still running
    raw_path: str | None = None  # the path as written, when a trailing /<UUID> was removed


class ShutdownReboot(Record, frozen=True, tag="ios.shutdown_reboot"):
    """One shutdown (closed by its SIGTERM line): clients still running, delays, how long it waited."""

    reboot_time: datetime | None
    reboot_time_raw: str | None
    clients: list[ShutdownClient]
    client_paths: list[str]  # distinct paths, for indicator matching (file paths)
    client_names: list[str]  # distinct base names, for indicator matching (processes)
    delays: int  # number of "these clients are still here" notices before the SIGTERM line
    waited_seconds: float | None  # longest delay
    delayed_clients: int  # distinct clients still running after at least one delay
    complete: bool = True  # False: the block has no SIGTERM line (log cut or rewritten)
    log_file: str = ""

    TIMESTAMPS = (("reboot_time", N_("device shut down (shutdown.log)")),)
    OBSERVABLES = (("client_paths", Obs.FILE_PATH), ("client_names", Obs.PROCESS))

    def summary(self) -> str:
        waited = f", waited {self.waited_seconds:.2f}s" if self.waited_seconds is not None else ""
        return (f"shutdown with {len(self.clients)} client(s) still running, {self.delays} delay(s){waited}, "
                f"{self.delayed_clients} delayed client(s)")


class ShutdownLogCoverage(Record, frozen=True, tag="ios.shutdown_log_coverage"):
    """What the shutdown log(s) of the acquisition cover: how many reboots, the first and the last one.

    One record per artifact run, after the reboots. ``rewritten_at_boot``: iOS 26 and later rewrite the
    log at each boot, so a short history is expected there (None when the iOS version is unknown)."""

    log_files: list[str]
    reboots: int  # distinct reboots closed by a SIGTERM line
    first_reboot: datetime | None = None
    first_reboot_raw: str | None = None
    last_reboot: datetime | None = None
    last_reboot_raw: str | None = None
    cut_entries: int = 0  # entries without their SIGTERM line (log cut or rewritten)
    ios_version: str | None = None
    rewritten_at_boot: bool | None = None

    def summary(self) -> str:
        if not self.reboots:
            return f"shutdown log ({', '.join(self.log_files)}) holds no reboot"
        first = self.first_reboot.isoformat() if self.first_reboot else self.first_reboot_raw or "?"
        last = self.last_reboot.isoformat() if self.last_reboot else self.last_reboot_raw or "?"
        return f"shutdown log covers {self.reboots} reboot(s), from {first} to {last}"
