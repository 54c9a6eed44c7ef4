"""The detection contract written to ``detections.json``.

One detection is one finding: a rule or an indicator, an observed value, an artifact. Every record
it rests on is an occurrence (source and time); ``record`` is the first one, ``count`` how many
there are. A value that several indicator files list is one detection naming every source.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import msgspec

from spyscan.texts import Message


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


# What a finding is about. Only "compromise" findings decide the verdict's colour; "context" findings
# help an expert read the rest; "protection" findings are advice (update the phone, turn on Lockdown
# Mode) shown apart from the verdict.
COMPROMISE = "compromise"
CONTEXT = "context"
PROTECTION = "protection"
CATEGORIES = (COMPROMISE, CONTEXT, PROTECTION)

# Threat classes of indicator files (``IndicatorRef.threat``) and roles of an indicator's value.
MERCENARY = "mercenary"
STALKERWARE = "stalkerware"
WATCHWARE = "watchware"

MAX_OCCURRENCES = 1000  # occurrences listed per detection; ``count`` keeps counting past it


class ObservableRef(msgspec.Struct, frozen=True):
    type: str
    value: str


class IndicatorRef(msgspec.Struct, frozen=True):
    value: str
    type: str  # STIX object path, e.g. "domain-name:value"
    malware: str | None
    stix_id: str
    file: str  # indicator file name (as listed in run.json "indicators")
    threat: str | None = None  # mercenary, stalkerware, watchware (None: unknown)
    role: str | None = None  # what the value is for the operator: c2, website, distribution (None: unknown)
    platform: str | None = None  # ios, android (None: any)


class Occurrence(msgspec.Struct, frozen=True, omit_defaults=True):
    """One record a detection rests on: where it is in the evidence, and when."""

    source: str  # the record's source reference, described (file, table, row or line, key)
    timestamp: str | None = None  # ISO-8601 UTC
    note: str | None = None  # what this occurrence showed, when it differs from the detection's message
    text: Message | None = None  # the note's translatable form (spyscan.texts)


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
    why: str | None = None  # for heuristics: why the pattern matters (English; a catalog message id)
    title: str | None = None  # for heuristics: the rule's title (English; a catalog message id)
    advice: str | None = None  # for protection findings: what to do (English; a catalog message id)
    category: str = COMPROMISE  # one of CATEGORIES
    sources: list[IndicatorRef] = []  # every indicator entry (file, STIX id) listing the value; [] for heuristics
    occurrences: list[Occurrence] = []  # the records it rests on (at most MAX_OCCURRENCES listed)
    count: int = 1  # number of occurrences, including those not listed
    last_seen: str | None = None  # latest occurrence time (``timestamp`` is the earliest)
    text: Message | None = None  # the message's translatable form (spyscan.texts); faces show it translated


class DetectionsFile(msgspec.Struct):
    detections: list[Detection]
