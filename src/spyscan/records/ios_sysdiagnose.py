"""Records from iOS sysdiagnose archives (also read from filesystem dumps where the same files exist)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class SysdiagnoseProcess(Record, frozen=True, tag="ios.sysdiagnose.process"):
    """A row of ``ps.txt``/``ps_thread.txt``."""

    name: str
    command: str
    executable: str
    pid: int | None = None
    ppid: int | None = None
    user: str | None = None
    started: str | None = None
    list_file: str = ""

    OBSERVABLES = (("name", Obs.PROCESS), ("executable", Obs.FILE_PATH))

    def summary(self) -> str:
        return f"process {self.name} (pid {self.pid}, user {self.user}): {self.command[:200]}"


class CrashReport(Record, frozen=True, tag="ios.crash_report"):
    """An ``.ips`` crash, jetsam or diagnostic report."""

    report_file: str
    bug_type: str | None
    report_kind: str  # "crash", "jetsam" or "other"
    time: datetime | None
    time_raw: str | None
    process: str | None
    pid: int | None
    process_names: list[str]
    paths: list[str]
    bundle_ids: list[str]
    os_version: str | None = None
    incident_id: str | None = None

    TIMESTAMPS = (("time", N_("diagnostic report written")),)
    OBSERVABLES = (("process_names", Obs.PROCESS), ("paths", Obs.FILE_PATH), ("bundle_ids", Obs.APP_ID))

    def summary(self) -> str:
        more = f" (+{len(self.process_names) - 1} processes)" if len(self.process_names) > 1 else ""
        return f"{self.report_kind} report for {self.process or '?'}{more} [{self.bug_type}]"


class InstallEvent(Record, frozen=True, tag="ios.mobile_installation_event"):
    """An install/uninstall/container event from ``mobile_installation.log``.

    The log writes the device's local time without a zone: ``time`` is it in UTC, converted with the offset
    a sysdiagnose's name gives (``time_zone``); when no offset is known (a filesystem dump) it is the local time
    kept as if UTC and ``timezone_assumed`` says so (``time_raw`` keeps the text).
    """

    action: str
    bundle_id: str
    version: str | None
    time: datetime | None
    time_raw: str | None
    log_file: str
    time_zone: str | None = None  # the zone or offset used to convert ``time`` (None: none known)
    timezone_assumed: bool = False  # True: no zone was known, the local time is stored as if UTC

    TIMESTAMPS = (("time", N_("app install event")),)
    OBSERVABLES = (("bundle_id", Obs.APP_ID),)

    def summary(self) -> str:
        version = f" {self.version}" if self.version else ""
        return f"{self.action} {self.bundle_id}{version}"


class ProfileState(Record, frozen=True, tag="ios.sysdiagnose.profile"):
    """A configuration profile named in the sysdiagnose ManagedConfiguration state."""

    identifier: str
    display_name: str | None
    uuid: str | None
    state_file: str
    installed: datetime | None = None
    installed_raw: Raw = None  # the stored value
    organization: str | None = None

    TIMESTAMPS = (("installed", N_("configuration profile installed")),)
    OBSERVABLES = (("identifier", Obs.PROFILE_ID), ("uuid", Obs.PROFILE_ID))


class LogProcessName(Record, frozen=True, tag="ios.sysdiagnose.log_process"):
    """A process name seen in one text file of a sysdiagnose: one record per file and name, not per line."""

    name: str
    log_file: str
    first_line: int  # line of the first occurrence
    count: int  # occurrences in the file
    shapes: list[str]  # how it was written: bracket, paren, pid_paren, key, path
    paths: list[str] = msgspec.field(default_factory=list)  # executable paths seen for it (first few)

    OBSERVABLES = (("name", Obs.PROCESS), ("paths", Obs.FILE_PATH))

    def summary(self) -> str:
        return f"process {self.name} named {self.count} time(s) in {self.log_file}, first at line {self.first_line}"
