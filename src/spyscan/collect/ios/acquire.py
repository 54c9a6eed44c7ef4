"""``spyscan collect ios``: encrypted backup, crash reports and (on request) a sysdiagnose.

Layout of the output folder (each part is checked with its own kind by ``spyscan check``):
``backup/<UDID>/`` (ios-backup), ``crash_reports/`` (ios-crash-reports), ``sysdiagnose_*.tar.gz``
(sysdiagnose), and ``acquisition.json`` (``in_progress`` from the start, ``complete`` or ``incomplete``
at the end, with the SHA-256 of every file).

Backup encryption: when it is off, the owner is told why it matters and asked; only then is it turned on
with a password they choose (prompt, or ``--password-env``), and they are told how to turn it off again.
At the end they choose to keep it (recommended) or to turn it off again. When it is on already, the
owner's backup password is asked to check, after the backup, that the backup can be read with it.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from spyscan import __version__
from spyscan.collect.errors import CollectError, DeviceLost
from spyscan.collect.ios.device import IOSDevice, library_version
from spyscan.collect.manifest import (
    STATUS_COMPLETE,
    STATUS_INCOMPLETE,
    Acquisition,
    FileHash,
    Interruption,
    encode,
    now,
)
from spyscan.texts import tr

MANIFEST = "acquisition.json"


def _(text: str) -> str:
    """Marks a message for translation; ``Questions.say`` translates it when it is shown."""
    return text


TURN_OFF_HOW = _("To turn backup encryption off later: in Finder or iTunes, on a computer the iPhone trusts, untick "
                 "'Encrypt local backup' and enter the password. Without the password, on the iPhone: Settings > "
                 "General > Transfer or Reset iPhone > Reset > Reset All Settings (this resets settings, not data).")
EXPLAIN_ENCRYPTION = _(
    "Backup encryption is off on this iPhone. An encrypted backup holds far more of the traces spyscan looks for "
    "(call history, Wi-Fi networks, Health and Safari data, saved passwords' metadata). spyscan can turn it on now "
    "with a password the owner chooses; the iPhone then encrypts every backup with it until it is turned off.")
STAYS_OFF = _("Backup encryption stays off: the backup will hold fewer traces.")
STAYS_ON = _("Backup encryption stays on (recommended).")
SYSDIAGNOSE_GESTURE = _(
    "On the iPhone, press and release at the same time both volume buttons and the side button (hold them about one "
    "second): the phone vibrates briefly and starts a sysdiagnose. It takes about ten minutes; keep the phone "
    "connected and unlocked.")


@dataclass
class IOSOptions:
    sysdiagnose: bool = False


@dataclass
class Questions:
    """How the command asks the person at the keyboard (replaced in tests)."""

    turn_on_encryption: Callable[[], bool]  # after the explanation: turn it on?
    new_password: Callable[[], str]  # a new backup password (asked twice when interactive)
    current_password: Callable[[], str | None]  # the existing backup password (None: not given)
    keep_encryption: Callable[[], bool]  # at the end: keep it on?
    say: Callable[[str], None]
    sysdiagnose_ready: Callable[[], None] = field(default=lambda: None)


class Progress(Protocol):
    def start(self, steps: list[tuple[str, str]]) -> None: ...
    def step(self, name: str, title: str) -> None: ...
    def detail(self, text: str, done: float | None = None, total: float | None = None) -> None: ...
    def step_done(self, name: str, outcome: str) -> None: ...
    def stop(self) -> None: ...


class QuietProgress:
    def start(self, steps: list[tuple[str, str]]) -> None:
        return None

    def step(self, name: str, title: str) -> None:
        return None

    def detail(self, text: str, done: float | None = None, total: float | None = None) -> None:
        return None

    def step_done(self, name: str, outcome: str) -> None:
        return None

    def stop(self) -> None:
        return None


@dataclass
class Outcome:
    location: Path
    acquisition: Acquisition

    @property
    def complete(self) -> bool:
        return self.acquisition.status == STATUS_COMPLETE


def _write_manifest(folder: Path, acquisition: Acquisition) -> None:
    part = folder / (MANIFEST + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(encode(acquisition))
    os.replace(part, folder / MANIFEST)


def _hash_all(folder: Path) -> dict[str, FileHash]:
    found: dict[str, FileHash] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.name != MANIFEST:
            digest = hashlib.sha256()
            size = 0
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
                    size += len(chunk)
            found[path.relative_to(folder).as_posix()] = FileHash(size, digest.hexdigest())
    return found


def verify_password(backup: Path, password: str) -> None:
    """CollectError when ``password`` does not open the backup's keybag."""
    from spyscan.errors import EvidenceError
    from spyscan.evidence.ios_backup.session import BackupSession

    work = Path(tempfile.mkdtemp(prefix="spyscan-verify-"))
    try:
        BackupSession(backup, work).unlock(lambda: password)
    except EvidenceError as exc:
        raise CollectError(tr("the password given is not this iPhone's backup password: the backup was made but "
                              "cannot be read without the right one")) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)


class _Run:
    def __init__(self, device: IOSDevice, folder: Path, options: IOSOptions, ask: Questions, progress: Progress,
                 acquisition: Acquisition) -> None:
        self.device, self.folder, self.options, self.ask = device, folder, options, ask
        self.progress, self.acquisition = progress, acquisition
        self.turned_on_with: str | None = None

    async def encryption(self) -> str | None:
        """Make sure the backup will be encrypted (with consent); the password to verify it with, if any."""
        if await self.device.will_encrypt():
            return self.ask.current_password()
        self.ask.say(EXPLAIN_ENCRYPTION)
        self.ask.say(TURN_OFF_HOW)
        if not self.ask.turn_on_encryption():
            self.ask.say(STAYS_OFF)
            self.acquisition.steps["encryption"] = "skipped: the owner kept backup encryption off"
            return None
        password = self.ask.new_password()
        work = Path(tempfile.mkdtemp(prefix="spyscan-mb2-"))
        try:
            await self.device.change_password(work, new=password)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        self.turned_on_with = password
        self.acquisition.phone_traces.settings_changed.append(f"backup encryption turned on. {TURN_OFF_HOW}")
        return password

    async def backup(self, password: str | None) -> None:
        target = self.folder / "backup"
        target.mkdir(mode=0o700)
        made = await self.device.backup(target, lambda pct: self.progress.detail("backup", float(pct), 100.0))
        if password:
            verify_password(made, password)

    async def crash_reports(self) -> None:
        target = self.folder / "crash_reports"
        target.mkdir(mode=0o700)
        names = await self.device.crash_reports(target, lambda i, n: self.progress.detail("crash reports", i, n))
        self.acquisition.device["crash_reports_listed"] = str(len(names))

    async def sysdiagnose(self) -> None:
        self.ask.say(SYSDIAGNOSE_GESTURE)
        self.ask.sysdiagnose_ready()
        await self.device.sysdiagnose(self.folder)
        self.acquisition.phone_traces.created_and_removed.append("sysdiagnose archive in DiagnosticLogs/sysdiagnose")

    async def restore_setting(self) -> None:
        if self.turned_on_with is None:
            return
        if self.ask.keep_encryption():
            self.ask.say(STAYS_ON)
            self.ask.say(TURN_OFF_HOW)
            return
        work = Path(tempfile.mkdtemp(prefix="spyscan-mb2-"))
        try:
            await self.device.change_password(work, old=self.turned_on_with)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        self.acquisition.phone_traces.settings_changed.append("backup encryption turned off again at the end")


STEPS = (("encryption", "backup encryption"), ("backup", "encrypted backup"), ("crash_reports", "crash reports"))


async def _acquire(connect: Callable[[], Any], output: Path, options: IOSOptions, ask: Questions,
                   progress: Progress, acquisition: Acquisition) -> Path:
    from spyscan.collect.sink import prepare_folder

    device: IOSDevice = await connect()  # nothing is created before the phone answers
    try:
        folder = prepare_folder(output)
        acquisition.device = device.info()
        _write_manifest(folder, acquisition)
        steps = list(STEPS) + ([("sysdiagnose", "sysdiagnose")] if options.sysdiagnose else [])
        acquisition.steps = {name: "not run" for name, _ in steps}
        run = _Run(device, folder, options, ask, progress, acquisition)
        password: str | None = None
        progress.start(steps)
        try:
            for name, title in steps:
                progress.step(name, title)
                try:
                    if name == "encryption":
                        password = await run.encryption()
                    elif name == "backup":
                        await run.backup(password)
                    elif name == "crash_reports":
                        await run.crash_reports()
                    else:
                        await run.sysdiagnose()
                    if acquisition.steps[name] == "not run":
                        acquisition.steps[name] = "ok"
                    progress.step_done(name, "ok")
                except DeviceLost as exc:
                    acquisition.steps[name] = f"failed: {exc}"
                    acquisition.interrupted = Interruption(step=name, error=str(exc))
                    progress.step_done(name, "lost")
                    return folder
                except CollectError as exc:
                    acquisition.steps[name] = f"failed: {exc}"
                    progress.step_done(name, "failed")
                    if name in ("encryption", "backup"):
                        acquisition.interrupted = Interruption(step=name, error=str(exc))
                        return folder
            await run.restore_setting()
        except OSError as exc:
            reason = f"cannot write the acquisition in {folder}: {exc.strerror or exc}"
            acquisition.interrupted = Interruption(step="output", error=reason)
        finally:
            progress.stop()
        return folder
    finally:
        await device.close()


def acquire(output: Path, options: IOSOptions, ask: Questions, consent: dict[str, str], udid: str | None = None,
            progress: Progress | None = None) -> Outcome:
    """Acquire the connected iPhone into the new, owner-only folder ``output`` (created once it answers)."""
    acquisition = Acquisition(uuid=str(uuid.uuid4()), tool_version=__version__, platform="ios",
                              libraries={"pymobiledevice3": library_version()}, started=now(), consent=consent)
    folder = asyncio.run(_acquire(lambda: IOSDevice.connect(udid), output, options, ask, progress or QuietProgress(),
                                  acquisition))
    acquisition.completed = now()
    acquisition.files = _hash_all(folder)
    whole = acquisition.interrupted is None and all(
        v == "ok" or v.startswith("skipped") for v in acquisition.steps.values())
    acquisition.status = STATUS_COMPLETE if whole else STATUS_INCOMPLETE
    acquisition.missing = [name for name, state in acquisition.steps.items()
                           if state != "ok" and not state.startswith("skipped")]
    _write_manifest(folder, acquisition)
    return Outcome(folder, acquisition)
