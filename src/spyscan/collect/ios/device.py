"""The iPhone through pymobiledevice3: lockdown, backup (mobilebackup2), crash reports and sysdiagnose.

This is the only module that imports pymobiledevice3 (GPL-3.0-or-later, the optional ``collect-ios``
extra). Services are looked up on the library's modules at call time
(``pymobiledevice3.lockdown.create_using_usbmux``, ``...mobilebackup2.Mobilebackup2Service``,
``...crash_reports.CrashReportsManager``). Every library error becomes one clear ``CollectError`` line;
a connection lost mid-way becomes ``DeviceLost``.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spyscan.collect.errors import CollectError, DeviceLost, MissingExtra
from spyscan.texts import tr

INSTALL_HINT = "install the iOS acquisition extra: pip install 'spyscan[collect-ios]'"
PAIR_TIMEOUT = 120.0
SYSDIAGNOSE_TIMEOUT = 1800.0


def _library() -> Any:
    try:
        import pymobiledevice3.exceptions as exceptions
        import pymobiledevice3.lockdown as lockdown
        import pymobiledevice3.services.crash_reports as crash_reports
        import pymobiledevice3.services.mobilebackup2 as mobilebackup2
    except ImportError as exc:
        raise MissingExtra(tr('the pymobiledevice3 library is missing; %(install_hint)s',
                              install_hint=INSTALL_HINT)) from exc

    class Library:
        pass

    lib = Library()
    lib.exceptions, lib.lockdown = exceptions, lockdown  # type: ignore[attr-defined]
    lib.crash_reports, lib.mobilebackup2 = crash_reports, mobilebackup2  # type: ignore[attr-defined]
    return lib


def library_version() -> str:
    try:
        from importlib.metadata import version

        return version("pymobiledevice3")
    except Exception:
        return "unknown"


def explain(exc: BaseException, during: str) -> CollectError:
    """One clear line for a library error (and DeviceLost when the phone went away)."""
    lib = _library()
    ex = lib.exceptions
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return CollectError(tr('the disk is full: %(during)s could not be written', during=during))
    if isinstance(exc, ex.UserDeniedPairingError):
        return CollectError(tr("the iPhone refused to trust this computer ('Don't Trust' was tapped); unplug it, "
                               "plug it again and tap 'Trust', then enter the passcode"))
    if isinstance(exc, ex.PairingDialogResponsePendingError):
        return CollectError(tr("the iPhone is asking whether to trust this computer: tap 'Trust', enter the "
                               "passcode, then run the command again"))
    if isinstance(exc, ex.PasswordRequiredError | ex.PasscodeRequiredError):
        return CollectError(tr('the iPhone is locked: unlock it with its passcode (and keep it unlocked), then run '
                               'the command again'))
    if isinstance(exc, ex.NotPairedError | ex.InvalidHostIDError | ex.FatalPairingError):
        return CollectError(tr("this computer is not paired with the iPhone: unlock it, tap 'Trust' when it asks, "
                               "and run the command again"))
    if isinstance(exc, ex.ConnectionFailedToUsbmuxdError):
        return CollectError(tr("cannot reach usbmuxd, the service that talks to iPhones over USB (on Linux install "
                               "and start usbmuxd; on macOS and Windows it comes with Apple's software)"))
    if isinstance(exc, ex.NoDeviceConnectedError | ex.DeviceNotFoundError):
        return CollectError(tr('no iPhone found: connect it with a USB cable and unlock it'))
    if isinstance(exc, ex.ConnectionTerminatedError | ConnectionError | EOFError | ex.MuxException):
        return DeviceLost(tr('the connection to the iPhone was lost during %(during)s', during=during))
    text = " ".join(str(exc).split())[:300] or type(exc).__name__
    return CollectError(tr('%(during)s failed: %(text)s', during=during, text=text))


class IOSDevice:
    """One paired iPhone: an open lockdown connection."""

    def __init__(self, lockdown: Any) -> None:
        self.lockdown = lockdown
        self.lib = _library()

    @classmethod
    async def connect(cls, udid: str | None = None) -> IOSDevice:
        lib = _library()
        try:
            lockdown = await lib.lockdown.create_using_usbmux(serial=udid, autopair=True, pair_timeout=PAIR_TIMEOUT)
        except Exception as exc:
            raise explain(exc, "the connection to the iPhone") from exc
        return cls(lockdown)

    def info(self) -> dict[str, str]:
        values = dict(getattr(self.lockdown, "all_values", {}) or {})
        fields = {"UniqueDeviceID": "udid", "SerialNumber": "serial", "ProductType": "product_type",
                  "ProductVersion": "ios_version", "BuildVersion": "build", "DeviceName": "device_name",
                  "DeviceClass": "device_class"}
        return {label: str(values[key]) for key, label in fields.items() if values.get(key) is not None}

    async def will_encrypt(self) -> bool:
        try:
            async with self.lib.mobilebackup2.Mobilebackup2Service(self.lockdown) as service:
                return bool(await service.get_will_encrypt())
        except Exception as exc:
            raise explain(exc, "reading the backup encryption setting") from exc

    async def change_password(self, workdir: Path, old: str = "", new: str = "") -> None:
        try:
            async with self.lib.mobilebackup2.Mobilebackup2Service(self.lockdown) as service:
                await service.change_password(backup_directory=str(workdir), old=old, new=new)
        except Exception as exc:
            raise explain(exc, "changing the backup encryption setting") from exc

    async def backup(self, folder: Path, progress: Callable[[float], None]) -> Path:
        """A full backup into ``folder/<UDID>``; returns that folder."""
        try:
            async with self.lib.mobilebackup2.Mobilebackup2Service(self.lockdown) as service:
                await service.backup(full=True, backup_directory=str(folder), progress_callback=progress)
        except Exception as exc:
            raise explain(exc, "the backup") from exc
        made = [p for p in folder.iterdir() if p.is_dir() and (p / "Manifest.plist").is_file()]
        if len(made) != 1:
            raise CollectError(tr('the backup ended without a complete backup folder (no Manifest.plist)'))
        return made[0]

    async def crash_reports(self, folder: Path, progress: Callable[[int, int], None]) -> list[str]:
        """Copy every crash report (the phone keeps them; nothing is erased); returns the names listed."""
        try:
            async with self.lib.crash_reports.CrashReportsManager(self.lockdown) as manager:
                names = await manager.ls("/", depth=1)
                for index, name in enumerate(names, start=1):
                    progress(index, len(names))
                    await manager.pull(str(folder), entry=name, erase=False, progress_bar=False)
                return list(names)
        except Exception as exc:
            raise explain(exc, "the copy of the crash reports") from exc

    async def sysdiagnose(self, folder: Path) -> None:
        """Wait for the sysdiagnose the owner starts with the button gesture, copy it, erase it from the phone."""
        try:
            async with self.lib.crash_reports.CrashReportsManager(self.lockdown) as manager:
                await manager.get_new_sysdiagnose(str(folder), erase=True, timeout=SYSDIAGNOSE_TIMEOUT)
        except Exception as exc:
            raise explain(exc, "the sysdiagnose") from exc

    async def close(self) -> None:
        closer = getattr(self.lockdown, "close", None)
        if closer is not None:
            try:
                await closer()
            except Exception:
                return
