"""Data exchanged between the case store, the hunt and the exports."""

from __future__ import annotations

from typing import Any

import msgspec

from spyscan.detection.model import Detection, IndicatorRef, ObservableRef
from spyscan.texts import tr


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
    verdict: str | None = None  # traces / review / clean / incomplete (None: registered before it was kept)


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
    # what the evidence showed (stores written before these fields decode with the defaults)
    category: str = "compromise"
    sources: list[IndicatorRef] = []  # every indicator entry listing the value
    count: int = 1  # occurrences
    last_seen: str | None = None  # latest occurrence time (``timestamp`` is the earliest)


class SourceKey(msgspec.Struct, frozen=True):
    stix_id: str
    file: str


class TriageEvidence(msgspec.Struct, frozen=True, kw_only=True):
    """What a finding showed: its severity, the indicator entries listing it, its occurrences."""

    severity: str
    sources: list[SourceKey] = []
    count: int = 1
    latest: str | None = None  # the latest occurrence time (UTC)


class EvidenceChange(msgspec.Struct, frozen=True):
    code: str  # severity, source, later, more
    before: str
    after: str

    def text(self) -> str:
        if self.code == "severity":
            return tr("severity rose from %(before)s to %(after)s", before=self.before, after=self.after)
        if self.code == "source":
            return tr("a new indicator source lists it: %(after)s", after=self.after)
        if self.code == "later":
            if not self.before:
                return tr("a later occurrence: %(after)s (before: none with a time)", after=self.after)
            return tr("a later occurrence: %(after)s (before: %(before)s)", after=self.after, before=self.before)
        return tr("more occurrences: %(after)s (before: %(before)s)", after=self.after, before=self.before)


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
    # detections in ``new`` that were triaged benign before and are raised again: id -> what changed
    changed: dict[str, list[EvidenceChange]] = msgspec.field(default_factory=dict)
    suppressed: int = 0  # detections triaged benign on this device whose evidence did not change
