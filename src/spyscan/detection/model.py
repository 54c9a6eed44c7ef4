"""The detection contract written to ``detections.json``."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import msgspec


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.CRITICAL: 4, Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1, Severity.INFO: 0}
SEVERE = frozenset({Severity.CRITICAL, Severity.HIGH})


class ObservableRef(msgspec.Struct, frozen=True):
    type: str
    value: str


class IndicatorRef(msgspec.Struct, frozen=True):
    value: str
    type: str  # STIX object path, e.g. "domain-name:value"
    malware: str | None
    stix_id: str
    file: str  # indicator file name (as listed in run.json "indicators")


class Detection(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    severity: Severity
    kind: str  # "indicator" or "heuristic"
    artifact: str
    message: str
    timestamp: str | None  # ISO-8601 UTC
    observable: ObservableRef | None
    indicator: IndicatorRef | None
    record: dict[str, Any]
    rule: str | None = None  # heuristic rule id
    match: str | None = None  # how the indicator matched: exact, subdomain, prefix, cidr, truncated
    why: str | None = None  # for heuristics: why the pattern matters


class DetectionsFile(msgspec.Struct):
    detections: list[Detection]
