"""``acquisition.json``: what was collected, from which phone, when, with what, and what it left behind.

Written by both ``spyscan collect`` commands. ``status`` is ``in_progress`` from the first moment (the
file is written before anything is read from the phone), and becomes ``complete`` only when every
step ran; a disconnect or an error makes it ``incomplete``, with the step and the reason. A folder
whose ``acquisition.json`` does not say ``complete`` is therefore never mistaken for a whole
acquisition, even if the process was killed. The Android file keeps androidqf's keys (``uuid``,
``started``, ``completed``, ``collector``, ``tmp_dir``, ``sdcard``, ``cpu``) so that tools reading androidqf
acquisitions read it too.
"""

from __future__ import annotations

import msgspec

from spyscan.timeutil import iso, utcnow

STATUS_IN_PROGRESS = "in_progress"
STATUS_COMPLETE = "complete"
STATUS_INCOMPLETE = "incomplete"


class FileHash(msgspec.Struct, frozen=True):
    size: int
    sha256: str


class PhoneTraces(msgspec.Struct, kw_only=True):
    """What the acquisition did on the phone, so that a check can tell it from the owner's or an attacker's."""

    commands: list[str] = []  # every shell command and adb service used, in order
    created_and_removed: list[str] = []  # files the acquisition made on the phone and deleted again
    left_on_phone: list[str] = []  # files it made and could not delete (should stay empty)
    settings_changed: list[str] = []  # phone settings changed, with how to undo them
    pushed: list[str] = []  # files copied to the phone (spyscan pushes none)


class Interruption(msgspec.Struct, frozen=True):
    step: str
    error: str


class Acquisition(msgspec.Struct, kw_only=True):
    uuid: str
    tool: str = "spyscan"
    tool_version: str
    platform: str  # "android" or "ios"
    libraries: dict[str, str] = {}
    started: str
    completed: str | None = None
    status: str = STATUS_IN_PROGRESS
    interrupted: Interruption | None = None
    steps: dict[str, str] = {}  # step -> ok / skipped: why / failed: why / not run
    missing: list[str] = []  # files that should be there and are not
    partial_files: list[str] = []  # files cut short (only in an encrypted zip, where they cannot be removed)
    files: dict[str, FileHash] = {}
    device: dict[str, str] = {}
    consent: dict[str, str] = {}
    phone_traces: PhoneTraces = msgspec.field(default_factory=PhoneTraces)
    # androidqf's keys (Android only)
    storage_path: str | None = None
    collector: None = None
    tmp_dir: str | None = None
    sdcard: str | None = None
    cpu: str | None = None
    streaming_mode: bool = False


def now() -> str:
    return iso(utcnow()) or ""


def encode(acquisition: Acquisition) -> bytes:
    return msgspec.json.format(msgspec.json.encode(acquisition), indent=1) + b"\n"
