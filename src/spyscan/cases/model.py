"""Data exchanged between the case store, the hunt and the exports."""

from __future__ import annotations

from typing import Any

import msgspec

from spyscan.detection.model import Detection, IndicatorRef, ObservableRef


class CaseInfo(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    created: str
    runs: int
    devices: int


class StoredRun(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    case: str
    device: str
    person: str  # pseudonymous person id
    acquired: str | None
    output: str  # absolute path of the output folder
    run_sha256: str
    kind: str
    input: str
    started: str | None
    registered: str
    inputs: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    indicator_set_version: str | None
    detections: int  # known detections (original check + hunts)
    hunted_detections: int  # of which found by hunts


class StoredDetection(msgspec.Struct, frozen=True, kw_only=True):
    """A detection as kept in the store: everything but the record (only its type and source)."""

    id: str
    severity: str
    kind: str
    artifact: str
    message: str
    timestamp: str | None
    observable: ObservableRef | None
    indicator: IndicatorRef | None
    record: dict[str, Any]
    rule: str | None = None
    match: str | None = None


class RunCheck(msgspec.Struct, frozen=True, kw_only=True):
    status: str  # ok, missing, changed
    message: str


class HuntRunResult(msgspec.Struct, kw_only=True):
    """What one stored run shows that is new (returned by workers, local or Dask)."""

    status: str  # ok, missing, changed, error
    message: str = ""
    records: int = 0
    new: list[Detection] = msgspec.field(default_factory=list)
    warnings: list[str] = msgspec.field(default_factory=list)
