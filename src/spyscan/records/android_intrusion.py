"""Android intrusion-logging events (Android 16 Advanced Protection exports)."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class IntrusionDnsEvent(Record, frozen=True, tag="android.intrusion.dns"):
    hostname: str | None = None
    ip_addresses: list[str] = []
    package: str | None = None
    time: datetime | None = None
    time_raw: str | None = None

    TIMESTAMPS = (("time", N_("DNS lookup")),)
    OBSERVABLES = (("hostname", Obs.DOMAIN), ("ip_addresses", Obs.IP), ("package", Obs.APP_ID))

    def summary(self) -> str:
        return f"DNS {self.hostname} by {self.package or '?'} -> {', '.join(self.ip_addresses[:5])}"


class IntrusionConnectEvent(Record, frozen=True, tag="android.intrusion.connect"):
    ip_address: str | None = None
    port: int | None = None
    package: str | None = None
    time: datetime | None = None
    time_raw: str | None = None

    TIMESTAMPS = (("time", N_("network connection")),)
    OBSERVABLES = (("ip_address", Obs.IP), ("package", Obs.APP_ID))

    def summary(self) -> str:
        return f"connect to {self.ip_address}:{self.port} by {self.package or '?'}"


class IntrusionAppProcessStart(Record, frozen=True, tag="android.intrusion.app_process_start"):
    process: str | None = None
    package: str | None = None  # the process name before any ':' suffix
    uid: int | None = None
    pid: int | None = None
    seinfo: str | None = None
    sha256: str | None = None  # SHA-256 of the app's base APK, as logged
    start_time: datetime | None = None
    start_time_raw: Raw = None  # the stored value
    time: datetime | None = None
    time_raw: str | None = None

    TIMESTAMPS = (("time", N_("app process started")),)
    OBSERVABLES = (("process", Obs.PROCESS), ("package", Obs.APP_ID), ("sha256", Obs.SHA256))

    def summary(self) -> str:
        return f"process {self.process} started (uid {self.uid}, pid {self.pid})"


class IntrusionPackageEvent(Record, frozen=True, tag="android.intrusion.package"):
    action: str  # "installed", "updated", "uninstalled"
    package: str | None = None
    version_code: int | None = None
    user_id: int | None = None
    time: datetime | None = None
    time_raw: str | None = None

    TIMESTAMPS = (("time", N_("package event")),)
    OBSERVABLES = (("package", Obs.APP_ID),)

    def summary(self) -> str:
        return f"package {self.action}: {self.package} (version {self.version_code}, user {self.user_id})"


class IntrusionAdbCommand(Record, frozen=True, tag="android.intrusion.adb_shell"):
    command: str | None = None  # None for an interactive shell
    interactive: bool = False
    app_ids: list[str] = []  # tokens of the command that look like app ids
    time: datetime | None = None
    time_raw: str | None = None

    TIMESTAMPS = (("time", N_("adb shell")),)
    OBSERVABLES = (("app_ids", Obs.APP_ID),)

    def summary(self) -> str:
        return "adb interactive shell" if self.interactive else f"adb shell {self.command}"


class IntrusionAdbFileTransfer(Record, frozen=True, tag="android.intrusion.adb_file"):
    direction: str  # "pull" (file read from the device) or "push" (file written to it)
    path: str | None = None
    time: datetime | None = None
    time_raw: str | None = None

    TIMESTAMPS = (("time", N_("adb file transfer")),)
    OBSERVABLES = (("path", Obs.FILE_PATH),)

    def summary(self) -> str:
        return f"adb {self.direction} {self.path}"


class IntrusionSecurityEvent(Record, frozen=True, tag="android.intrusion.security"):
    """Any other security event (keyguard, boot, keys, certificates, Wi-Fi, ...)."""

    tag: str
    details: str | None = None  # the event's data as compact JSON
    success: bool | None = None
    time: datetime | None = None
    time_raw: str | None = None

    TIMESTAMPS = (("time", N_("security event")),)

    def summary(self) -> str:
        return f"{self.tag}: {(self.details or '')[:200]}"
