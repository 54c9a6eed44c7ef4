"""What every Android acquisition step works with: the phone, the output, the phone traces, the options."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from spyscan.collect.android.device import AndroidDevice
from spyscan.collect.manifest import PhoneTraces
from spyscan.collect.sink import Sink


class StepProgress(Protocol):
    def detail(self, text: str, done: int | None = None, total: int | None = None) -> None: ...


class NoProgress:
    def detail(self, text: str, done: int | None = None, total: int | None = None) -> None:
        return None


@dataclass
class AndroidOptions:
    apk_certificates: str = "non-system"  # "all", "non-system" or "none": which APKs are read for certificates
    bugreport: bool = False
    sms_backup: bool = False


@dataclass
class Context:
    device: AndroidDevice
    sink: Sink
    workdir: Path  # private 0700 temporary folder (APKs read for their certificate, then deleted)
    options: AndroidOptions
    traces: PhoneTraces
    progress: StepProgress = field(default_factory=NoProgress)
    tmp_dir: str = "/data/local/tmp/"
    sdcard: str = "/sdcard/"
    cpu: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
