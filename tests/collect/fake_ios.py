"""Recorded answers of an iPhone at pymobiledevice3's service boundary, for the ``spyscan collect ios`` tests.

No phone is connected to the build machines, and the lockdown/usbmux transport needs one, so the tests
replace the three library entry points spyscan uses (``lockdown.create_using_usbmux``,
``mobilebackup2.Mobilebackup2Service``, ``crash_reports.CrashReportsManager``) with these fakes. They answer
from a recording of one phone: its lockdown values, whether backups are encrypted (and the password),
its crash report listing and contents, and a sysdiagnose; the backup itself is written as the service
writes it (``<backup_directory>/<UDID>/`` with Info/Manifest/Status plists and Manifest.db, encrypted
for real when the phone encrypts backups). ``test_fakes_take_the_library_arguments`` checks that every
argument spyscan passes exists in the real library's signatures, so the boundary cannot drift unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.builders.ios_backup import BackupBuilder
from tests.builders.sysdiagnose import SysdiagnoseBuilder, ips_text, ps_text

UDID = "00008110-001A2B3C4D5E801E"
PLANTED_PROCESS = "fservernetd"  # a Pegasus process name (Amnesty International 2021, bundled indicators)
PEGASUS_CRASH = ips_text(
    {"app_name": PLANTED_PROCESS, "timestamp": "2024-06-01 08:15:00.00 +0200", "bug_type": "309",
     "os_version": "iPhone OS 17.5.1 (21F90)", "incident_id": "A1-B2", "name": PLANTED_PROCESS},
    {"procName": PLANTED_PROCESS, "pid": 412, "procPath": f"/private/var/db/{PLANTED_PROCESS}",
     "parentProc": "launchd"})
JETSAM = ips_text({"bug_type": "298", "timestamp": "2024-06-02 10:00:00.00 +0000", "os_version": "iPhone OS 17.5.1"},
                  {"largestProcess": "MobileSafari", "processes": [{"name": "MobileSafari", "pid": 3}]})


@dataclass
class Recording:
    values: dict[str, Any] = field(default_factory=lambda: {
        "UniqueDeviceID": UDID, "SerialNumber": "F2LXK0ABCDEF", "ProductType": "iPhone14,5",
        "ProductVersion": "17.5.1", "BuildVersion": "21F90", "DeviceName": "Owner's iPhone", "DeviceClass": "iPhone"})
    will_encrypt: bool = False
    password: str | None = None  # the phone's backup password when it encrypts backups
    crash_files: dict[str, bytes] = field(default_factory=lambda: {
        f"/{PLANTED_PROCESS}-2024-06-01-081500.ips": PEGASUS_CRASH.encode(),
        "/Retired/JetsamEvent-2024-06-02-100000.ips": JETSAM.encode(),
    })
    connect_error: BaseException | None = None
    backup_error: BaseException | None = None
    sysdiagnose_left: bool = False
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


class FakeLockdown:
    def __init__(self, recording: Recording) -> None:
        self.recording = recording
        self.all_values = dict(recording.values)
        self.udid = recording.values["UniqueDeviceID"]
        self.closed = False

    async def close(self) -> None:
        self.closed = True


def fake_create_using_usbmux(recording: Recording) -> Callable[..., Any]:
    async def create_using_usbmux(serial: str | None = None, autopair: bool = True,
                                  pair_timeout: float | None = None, **kwargs: Any) -> FakeLockdown:
        recording.calls.append(("create_using_usbmux", {"serial": serial, "autopair": autopair,
                                                        "pair_timeout": pair_timeout, **kwargs}))
        if recording.connect_error is not None:
            raise recording.connect_error
        return FakeLockdown(recording)
    return create_using_usbmux


class _Service:
    def __init__(self, lockdown: FakeLockdown) -> None:
        self.lockdown = lockdown
        self.recording = lockdown.recording

    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class FakeMobilebackup2Service(_Service):
    async def get_will_encrypt(self) -> bool:
        self.recording.calls.append(("get_will_encrypt", {}))
        return self.recording.will_encrypt

    async def change_password(self, backup_directory: str = ".", old: str = "", new: str = "") -> None:
        self.recording.calls.append(("change_password", {"backup_directory": backup_directory, "old": old, "new": new}))
        if new:
            self.recording.will_encrypt, self.recording.password = True, new
        else:
            self.recording.will_encrypt, self.recording.password = False, None

    async def backup(self, full: bool = True, backup_directory: str = ".",
                     progress_callback: Callable[[float], None] = lambda x: None, **kwargs: Any) -> None:
        self.recording.calls.append(("backup", {"full": full, "backup_directory": backup_directory, **kwargs}))
        progress_callback(10.0)
        if self.recording.backup_error is not None:
            (Path(backup_directory) / UDID).mkdir()
            raise self.recording.backup_error
        builder = BackupBuilder(Path(backup_directory) / UDID)
        builder.add_plist("HomeDomain", "Library/Preferences/com.apple.Preferences.plist", {"a": 1})
        builder.build(password=self.recording.password if self.recording.will_encrypt else None)
        progress_callback(100.0)


class FakeCrashReportsManager(_Service):
    async def ls(self, path: str = "/", depth: int = 1) -> list[str]:
        self.recording.calls.append(("ls", {"path": path, "depth": depth}))
        tops = sorted({"/" + name.strip("/").split("/", 1)[0] for name in self.recording.crash_files})
        return tops

    async def pull(self, out: str, entry: str = "/", erase: bool = False, match: str | None = None,
                   progress_bar: bool = True) -> None:
        self.recording.calls.append(("pull", {"out": out, "entry": entry, "erase": erase}))
        for name, data in self.recording.crash_files.items():
            if name == entry or name.startswith(entry.rstrip("/") + "/"):
                target = Path(out) / name.lstrip("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)

    async def get_new_sysdiagnose(self, out: str, erase: bool = True, *, timeout: float | None = None,
                                  callback: Callable[[float], None] | None = None) -> None:
        self.recording.calls.append(("get_new_sysdiagnose", {"out": out, "erase": erase, "timeout": timeout}))
        builder = SysdiagnoseBuilder("sysdiagnose_2024.06.03_10-00-00+0200_iPhone-OS_iPhone_21F90")
        builder.add_text("ps.txt", ps_text([("root", 1, 0, "/sbin/launchd")]))
        builder.build(Path(out))
        self.recording.sysdiagnose_left = not erase


def install(monkeypatch: Any, recording: Recording) -> None:
    import pymobiledevice3.lockdown as lockdown
    import pymobiledevice3.services.crash_reports as crash_reports
    import pymobiledevice3.services.mobilebackup2 as mobilebackup2

    monkeypatch.setattr(lockdown, "create_using_usbmux", fake_create_using_usbmux(recording))
    monkeypatch.setattr(mobilebackup2, "Mobilebackup2Service", FakeMobilebackup2Service)
    monkeypatch.setattr(crash_reports, "CrashReportsManager", FakeCrashReportsManager)
