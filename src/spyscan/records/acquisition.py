"""What an acquisition says about itself: ``acquisition.json`` of androidqf and of ``spyscan collect``."""

from __future__ import annotations

from datetime import datetime

from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class AcquisitionInfo(Record, frozen=True, tag="acquisition.info"):
    platform: str  # "android" or "ios"
    tool: str | None = None  # "androidqf" or "spyscan"
    tool_version: str | None = None
    started: datetime | None = None
    completed: datetime | None = None
    started_raw: Raw = None  # the stored values
    completed_raw: Raw = None
    status: str | None = None  # spyscan: in_progress / complete / incomplete; androidqf writes none
    interrupted_step: str | None = None
    interrupted_error: str | None = None
    failed_steps: list[str] = []
    missing: list[str] = []
    partial_files: list[str] = []
    left_on_phone: list[str] = []
    created_and_removed: list[str] = []  # files the acquisition made on the phone and deleted again
    tmp_dir: str | None = None
    collector_path: str | None = None
    adb_host_key_sha256: str | None = None  # SHA-256 of the acquiring computer's adb public key (base64 text),
    # from adb_host_key.pub (androidqf PR #120, spyscan collect): that computer is the examiner's

    TIMESTAMPS = (("started", N_("acquisition started")), ("completed", N_("acquisition finished")))

    @property
    def incomplete(self) -> bool:
        return self.status is not None and self.status != "complete"

    def summary(self) -> str:
        state = self.status or "no status recorded"
        return f"acquisition by {self.tool or '?'} {self.tool_version or ''}: {state}".replace("  ", " ")
