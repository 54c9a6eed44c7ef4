"""``run.json``: what was run, on what, with which indicators, and how each artifact went."""

from __future__ import annotations

from pathlib import Path

import msgspec

from spyscan.evidence.custody import InputFile
from spyscan.indicators.model import IndicatorFile, Unsupported
from spyscan.records.device import DeviceFacts
from spyscan.texts import Message, Text
from spyscan.visible import json_visible

STATUSES = ("ok", "not_found", "warning", "error", "recovered", "skipped", "timeout", "truncated", "interrupted",
            "not_run")
# statuses of an artifact that did not read all it should have: the check is incomplete
UNFINISHED = frozenset({"error", "timeout", "truncated", "interrupted", "not_run"})
READ = frozenset({"ok", "warning", "recovered"})  # the artifact read its source

# run.json "status"
RUNNING = "running"  # written when the output folder is created; a folder left so was never finished
COMPLETE = "complete"
INTERRUPTED = "interrupted"  # stopped by a signal (Ctrl-C, SIGTERM) before every artifact had finished
FAILED = "failed"  # stopped by an error before the artifacts ran (see "errors")

# why an artifact found nothing to read ("absence" of a not_found artifact)
NOT_APPLICABLE = "not_applicable"  # e.g. the app is not installed: nothing to check
MISSING = "missing"  # the acquisition lacks it (e.g. an unencrypted backup has no Safari history)


class ArtifactStatus(msgspec.Struct, kw_only=True):
    status: str  # one of STATUSES
    records: int
    warnings: list[str]
    seconds: float
    error: str | None
    title: str = ""
    holds_traces: bool = True  # the artifact can hold traces of compromise (else: device facts only)
    key: bool = False  # one of the artifacts that matter for this kind (docs/verdict.md)
    absence: str | None = None  # for not_found: NOT_APPLICABLE or MISSING
    messages: dict[str, Message] = {}  # translatable form of ``error`` and ``warnings``, by their English text


class VerdictReason(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One reason of the verdict: a code (see ``spyscan.verdict``) and what it is about."""

    code: str
    text: str  # the reason in English, for readers of run.json (faces translate from the code)
    artifact: str | None = None
    count: int | None = None
    detail: str | None = None


class Verdict(msgspec.Struct, frozen=True, kw_only=True):
    """The one verdict of a run, decided by ``spyscan.verdict.decide`` and shown the same way everywhere."""

    state: str  # traces, review, clean, incomplete
    reasons: list[VerdictReason]
    complete: bool = True  # False when a part that could hold traces was not fully checked (also with traces)


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
    status: str = COMPLETE  # running, complete, interrupted, failed
    verdict: Verdict | None = None
    device: DeviceFacts = msgspec.field(default_factory=DeviceFacts)
    indicator_set_version: str | None = None
    unsupported_indicators: list[Unsupported] = []
    recheck_of: str | None = None  # for recheck: the run.json of the stored results
    errors: list[str] = []  # run-level errors (e.g. why a run could not finish)
    messages: dict[str, Message] = {}  # translatable form of ``errors``, by their English text
    lang: str | None = None  # language of the check's report and summary (``spyscan report`` keeps it)
    tz: str | None = None  # time zone chosen with --tz for the report (None: the device's, from ``device``)


def _plain(value: object) -> object:
    if isinstance(value, Text):  # a translatable text is written as its English string
        return str(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def encode_json(value: object) -> bytes:
    """JSON of ``value``; translatable texts (``Text``) are written as their English strings."""
    return msgspec.json.encode(value, enc_hook=_plain)


def write_json(path: Path, value: object) -> None:
    encoded = encode_json(value)
    path.write_bytes(json_visible(msgspec.json.format(encoded, indent=2)) + b"\n")


def read_run(path: Path) -> RunInfo:
    """Read a run.json, also one written before ``device`` was a typed object (a flat dict of strings)."""
    data = path.read_bytes()
    try:
        return msgspec.json.decode(data, type=RunInfo)
    except msgspec.ValidationError:
        raw = msgspec.json.decode(data)
        if not isinstance(raw, dict) or not isinstance(raw.get("device"), dict):
            raise
        raw["device"] = legacy_device(raw["device"])
        return msgspec.convert(raw, RunInfo)


_LEGACY_DEVICE = {"product_type": "model", "model": "marketing_name", "ios_version": "os_version",
                  "android_version": "os_version", "build": "build", "security_patch": "security_patch",
                  "acquired": "acquired", "device_name": "name"}


def legacy_device(old: dict[str, object]) -> dict[str, object]:
    """A device object from the flat strings that run.json held before (kept in ``details``)."""
    facts: dict[str, object] = {"details": {str(k): str(v) for k, v in old.items() if v is not None}}
    for key, field in _LEGACY_DEVICE.items():
        value = old.get(key)
        if isinstance(value, str) and value and field not in facts:
            facts[field] = value
    if old.get("encrypted") in ("yes", "no"):
        facts["encrypted"] = old["encrypted"] == "yes"
    return facts
