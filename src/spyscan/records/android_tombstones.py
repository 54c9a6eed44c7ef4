"""Native crash reports (tombstones), text or protobuf."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_


class AndroidTombstone(Record, frozen=True, tag="android.tombstone"):
    process_name: str | None = None  # the crashed process (command line's first word, or ">>> name <<<")
    executable: str | None = None  # that name when it is a path on the device
    command_line: list[str] = []
    thread_name: str | None = None
    pid: int | None = None
    tid: int | None = None
    uid: int | None = None
    selinux_label: str | None = None
    signal: int | None = None
    signal_name: str | None = None
    signal_code: int | None = None
    signal_code_name: str | None = None
    fault_address: str | None = None
    abort_message: str | None = None
    cause: str | None = None
    build_fingerprint: str | None = None
    abi: str | None = None
    timestamp: datetime | None = None
    timestamp_raw: str | None = None
    format: str = "text"  # "text" or "protobuf"

    TIMESTAMPS = (("timestamp", N_("native process crashed")),)
    # the crashing thread's name is matched as a process name too: public indicators name spyware threads
    OBSERVABLES = (("process_name", Obs.PROCESS), ("thread_name", Obs.PROCESS), ("executable", Obs.FILE_PATH))

    def summary(self) -> str:
        text = f"crash of {self.process_name or '?'} (pid {self.pid}, uid {self.uid}) {self.signal_name or ''}"
        if self.abort_message:
            text += f": {self.abort_message[:200]}"
        return text
