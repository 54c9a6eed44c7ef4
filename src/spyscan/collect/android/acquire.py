"""``spyscan collect android``: run the steps in order, write ``acquisition.json`` first and last.

A step that fails on the phone (a command refused) is recorded and the others go on; when the phone
is lost (unplugged, locked out, adb gone) the acquisition stops at once. In both cases the folder's
``acquisition.json`` says ``incomplete``, which step failed and which files are missing, and
``spyscan check`` reports the acquisition as incomplete (never as a clean result).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from spyscan import __version__
from spyscan.collect.android import optional_steps, text_steps
from spyscan.collect.android.context import AndroidOptions, Context, NoProgress, StepProgress
from spyscan.collect.android.device import AndroidDevice, library_version
from spyscan.collect.android.files_listing import files
from spyscan.collect.android.packages import packages
from spyscan.collect.errors import CollectError, DeviceLost
from spyscan.collect.manifest import (
    STATUS_COMPLETE,
    STATUS_INCOMPLETE,
    Acquisition,
    FileHash,
    Interruption,
    PhoneTraces,
    encode,
    now,
)
from spyscan.collect.sink import AgeZipSink, FolderSink, Sink
from spyscan.texts import tr

MANIFEST = "acquisition.json"
HOST_KEY = Path("~/.android/adbkey.pub")


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    run: Callable[[Context], None]
    files: tuple[str, ...]


STEPS = (
    Step("environment", "environment", text_steps.environment, ("env.txt",)),
    Step("getprop", "system properties", text_steps.getprop, ("getprop.txt",)),
    Step("settings", "settings", text_steps.settings,
         tuple(f"settings_{n}.txt" for n in text_steps.SETTINGS_NAMESPACES)),
    Step("processes", "running processes", text_steps.processes, ("processes.txt",)),
    Step("services", "services", text_steps.services, ("services.txt",)),
    Step("selinux", "SELinux state", text_steps.selinux, ("selinux.txt",)),
    Step("packages", "installed apps, hashes and certificates", packages, ("packages.json",)),
    Step("root_binaries", "root tools", text_steps.root_binaries, ("root_binaries.json",)),
    Step("mounts", "mounted file systems", text_steps.mounts, ("mounts.json",)),
    Step("files", "file listing", files, ("files.json",)),
    Step("dumpsys", "system services state (dumpsys)", text_steps.dumpsys, ("dumpsys.txt",)),
    Step("logcat", "system log (logcat)", text_steps.logcat, ("logcat.txt",)),
)
BUGREPORT = Step("bugreport", "bugreport", optional_steps.bugreport, ("bugreport.zip",))
SMS_BACKUP = Step("sms_backup", "SMS backup", optional_steps.sms_backup, ("backup.ab",))


class Progress(StepProgress, Protocol):
    def start(self, steps: list[tuple[str, str]]) -> None: ...
    def step(self, name: str, title: str) -> None: ...
    def step_done(self, name: str, outcome: str) -> None: ...
    def stop(self) -> None: ...


class QuietProgress(NoProgress):
    def start(self, steps: list[tuple[str, str]]) -> None:
        return None

    def step(self, name: str, title: str) -> None:
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


def steps_for(options: AndroidOptions) -> list[Step]:
    chosen = list(STEPS)
    if options.bugreport:
        chosen.append(BUGREPORT)
    if options.sms_backup:
        chosen.append(SMS_BACKUP)
    return chosen


def _device_fields(ctx: Context) -> dict[str, str]:
    props = ctx.properties
    fields = {"serial": ctx.device.serial}
    for key, label in (("ro.product.manufacturer", "manufacturer"), ("ro.product.model", "model"),
                       ("ro.build.version.release", "android_version"), ("ro.build.fingerprint", "build_fingerprint"),
                       ("ro.build.version.security_patch", "security_patch")):
        if props.get(key):
            fields[label] = props[key]
    return fields


def _write_manifest(sink: Sink, acquisition: Acquisition) -> None:
    if isinstance(sink, FolderSink):  # written at the start too: a killed run leaves "in_progress"
        sink.write_bytes(MANIFEST, encode(acquisition))


def acquire(device: AndroidDevice, output: Path, options: AndroidOptions, consent: dict[str, str],
            age_recipient: object | None = None, progress: Progress | None = None) -> Outcome:
    """Acquire from ``device`` into the prepared (new, owner-only) folder ``output``."""
    progress = progress or QuietProgress()
    ident = str(uuid.uuid4())
    sink: Sink = AgeZipSink(output, ident, age_recipient) if age_recipient is not None else FolderSink(output)
    acquisition = Acquisition(
        uuid=ident, tool_version=__version__, platform="android", libraries={"adbutils": library_version()},
        started=now(), storage_path=str(output), consent=consent, streaming_mode=age_recipient is not None,
    )
    _write_manifest(sink, acquisition)
    chosen = steps_for(options)
    acquisition.steps = {s.name: "not run" for s in chosen}
    workdir = Path(tempfile.mkdtemp(prefix="spyscan-collect-"))
    ctx = Context(device=device, sink=sink, workdir=workdir, options=options, traces=PhoneTraces(),
                  progress=progress)
    progress.start([(s.name, s.title) for s in chosen])
    try:
        for step in chosen:
            progress.step(step.name, step.title)
            try:
                step.run(ctx)
                acquisition.steps[step.name] = "ok"
            except DeviceLost as exc:
                acquisition.steps[step.name] = f"failed: {exc}"
                acquisition.interrupted = Interruption(step=step.name, error=str(exc))
                progress.step_done(step.name, "lost")
                break
            except CollectError as exc:
                acquisition.steps[step.name] = f"failed: {exc}"
                progress.step_done(step.name, "failed")
                continue
            except OSError as exc:  # the computer's side: disk full, output folder gone
                reason = f"cannot write the output ({exc.strerror or exc})"
                acquisition.steps[step.name] = f"failed: {reason}"
                acquisition.interrupted = Interruption(step=step.name, error=reason)
                progress.step_done(step.name, "failed")
                break
            progress.step_done(step.name, "ok")
    finally:
        progress.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        try:
            _finish(sink, acquisition, ctx, chosen)
        except OSError as exc:
            raise CollectError(tr('the acquisition could not be finished in %(output)s: %(value)s (disk full?); what '
                                  'is there is incomplete', output=output, value=exc.strerror or exc)) from exc
    return Outcome(sink.location(), acquisition)


def _copy_host_key(sink: Sink) -> None:
    """The examiner's adb public key, so that the check can tell it from other authorised keys."""
    path = HOST_KEY.expanduser()
    try:
        if path.is_file() and path.stat().st_size < 16384:
            sink.write_bytes("adb_host_key.pub", path.read_bytes())
    except OSError:
        return


def _finish(sink: Sink, acquisition: Acquisition, ctx: Context, chosen: list[Step]) -> None:
    _copy_host_key(sink)
    acquisition.completed = now()
    acquisition.device = _device_fields(ctx)
    acquisition.tmp_dir, acquisition.sdcard, acquisition.cpu = ctx.tmp_dir, ctx.sdcard, ctx.cpu
    ctx.traces.commands = list(ctx.device.commands)
    acquisition.phone_traces = ctx.traces
    acquisition.partial_files = list(sink.partial)
    acquisition.missing = [f for s in chosen for f in s.files if f not in sink.files]
    whole = acquisition.interrupted is None and all(v == "ok" for v in acquisition.steps.values())
    acquisition.status = STATUS_COMPLETE if whole and not acquisition.missing else STATUS_INCOMPLETE
    acquisition.files = {name: FileHash(f.size, f.sha256) for name, f in sorted(sink.files.items())
                         if name != MANIFEST}
    manifest = sink.write_bytes(MANIFEST, encode(acquisition))
    rows = [f"{name},{f.sha256}\n" for name, f in sorted(sink.files.items()) if name != "hashes.csv"]
    rows = [r for r in rows if not r.startswith(f"{MANIFEST},")] + [f"{MANIFEST},{manifest.sha256}\n"]
    sink.write_bytes("hashes.csv", "".join(rows).encode())
    sink.close()
