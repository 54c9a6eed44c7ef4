"""``run.json``: what was run, on what, with which indicators, and how each artifact went."""

from __future__ import annotations

from pathlib import Path

import msgspec

from spyscan.evidence.custody import InputFile
from spyscan.indicators.model import IndicatorFile, Unsupported
from spyscan.visible import json_visible

STATUSES = ("ok", "not_found", "warning", "error", "recovered", "skipped", "timeout", "truncated", "not_run")


class ArtifactStatus(msgspec.Struct, kw_only=True):
    status: str  # one of STATUSES
    records: int
    warnings: list[str]
    seconds: float
    error: str | None
    title: str = ""


class RunInfo(msgspec.Struct, kw_only=True):
    tool: str
    version: str
    command: list[str]  # secrets redacted
    started: str
    finished: str | None
    kind: str
    input: str
    inputs: list[InputFile]
    indicators: list[IndicatorFile]
    artifacts: dict[str, ArtifactStatus]
    detections: dict[str, int]  # count by severity
    exit_code: int | None = None
    device: dict[str, str] = {}
    indicator_set_version: str | None = None
    unsupported_indicators: list[Unsupported] = []
    recheck_of: str | None = None  # for recheck: the run.json of the stored results
    errors: list[str] = []  # run-level errors (e.g. why a run could not finish)


def write_json(path: Path, value: object) -> None:
    path.write_bytes(json_visible(msgspec.json.format(msgspec.json.encode(value), indent=2)) + b"\n")


def read_run(path: Path) -> RunInfo:
    return msgspec.json.decode(path.read_bytes(), type=RunInfo)
