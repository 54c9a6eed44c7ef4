"""One detection per finding: the identity of a finding and the builder that gathers its occurrences.

A finding is identified by what matched (a heuristic rule, or an indicator's type and value), the
observed value it matched on, and the artifact. Where in the artifact it was seen is not part of the
identity: one app in eight app-ops lines is one detection with eight occurrences, and a value that
two indicator files list is one detection naming both. ``finding_id`` is a pure function of stored
fields, so stores written before grouping can map their detections to the new ids
(``spyscan.cases.migrations``).
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from spyscan.detection.model import (
    MAX_OCCURRENCES,
    Detection,
    IndicatorRef,
    ObservableRef,
    Occurrence,
    Severity,
)
from spyscan.records.base import SourceRef


def _digest(*parts: str | None) -> str:
    digest = hashlib.sha256("\x1f".join(p or "" for p in parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:20]


def indicator_key(indicator_type: str, indicator_value: str) -> str:
    """The indicator's identity across files: type and value, case and trailing dot ignored."""
    return f"{indicator_type}\x1e{indicator_value.strip().rstrip('.').casefold()}"


def finding_id(kind: str, artifact: str, what: str, observed: str | None, fallback: str = "") -> str:
    """Identity of a finding.

    ``kind`` is "indicator" or "heuristic"; ``what`` the rule id or ``indicator_key(...)``; ``observed``
    the observed value (normalised for indicators, the rule's observable for heuristics). A heuristic
    finding without an observable is identified by ``fallback`` (its message) instead.
    """
    if observed is None:
        return _digest(kind, artifact, what, "", fallback)
    return _digest(kind, artifact, what, observed)


def _later(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _earlier(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


class DetectionGroup:
    """Gathers the occurrences of one finding; ``build`` gives the Detection.

    The first occurrence supplies the record and the message; a later occurrence with a higher
    severity takes their place (the detection shows its most serious evidence). Occurrences are
    listed up to ``MAX_OCCURRENCES``; ``count`` counts them all.
    """

    __slots__ = ("count", "first", "last", "occurrences", "sources", "template")

    def __init__(self, template: Detection) -> None:
        self.template = template
        self.occurrences: list[Occurrence] = []
        self.sources: list[IndicatorRef] = []
        self.count = 0
        self.first: str | None = None
        self.last: str | None = None

    def add(self, source: str, timestamp: str | None, candidate: Detection | None = None,
            indicator: IndicatorRef | None = None) -> None:
        """One more occurrence; ``candidate`` is the detection this occurrence alone would give.

        The same record seen again (two fields of one record matching the same value) is one occurrence.
        """
        differs = candidate is not None and candidate.message != self.template.message
        note = candidate.message if candidate is not None and differs else None
        if self.count == 0 or not any(o.source == source and o.timestamp == timestamp and o.note == note
                                      for o in self.occurrences[-4:]):
            self.count += 1
            if len(self.occurrences) < MAX_OCCURRENCES:
                self.occurrences.append(Occurrence(source=source, timestamp=timestamp, note=note,
                                                   text=candidate.text if candidate is not None and differs
                                                   else None))
        self.first = _earlier(self.first, timestamp)
        self.last = _later(self.last, timestamp)
        if indicator is not None and indicator not in self.sources:
            self.sources.append(indicator)
        if candidate is not None and candidate.severity.rank > self.template.severity.rank:
            self.template = candidate

    def build(self) -> Detection:
        t = self.template
        return Detection(
            id=t.id, severity=t.severity, kind=t.kind, artifact=t.artifact, message=t.message,
            timestamp=self.first, observable=t.observable, indicator=t.indicator, record=t.record, rule=t.rule,
            match=t.match, why=t.why, title=t.title, advice=t.advice, category=t.category,
            sources=list(self.sources), text=t.text,
            occurrences=sorted(self.occurrences, key=lambda o: (o.timestamp or "~", o.source)),
            count=max(self.count, 1), last_seen=self.last if self.last != self.first else None,
        )


def stored_finding_id(kind: str, artifact: str, rule: str | None, indicator: IndicatorRef | None,
                      observable: ObservableRef | None, message: str) -> str | None:
    """The finding id of a detection stored before grouping, from the fields a store kept.

    For an indicator hit the observed value is found again by matching the stored observable against
    the stored indicator alone, with the same index a check uses (a URL matched a domain by its host).
    """
    if kind == "heuristic" and rule:
        observed = f"{observable.type}\x1e{observable.value}" if observable is not None else None
        return finding_id("heuristic", artifact, rule, observed, message)
    if kind != "indicator" or indicator is None or observable is None:
        return None
    from spyscan.indicators.index import IndicatorIndex
    from spyscan.indicators.model import Indicator
    from spyscan.observables import Obs

    try:
        obs = Obs(observable.type)
    except ValueError:
        return None
    index = IndicatorIndex.build([Indicator(type=indicator.type, value=indicator.value, stix_id=indicator.stix_id,
                                            malware=indicator.malware, file=indicator.file)])
    hits = index.match(obs, observable.value)
    if not hits:
        return None
    return finding_id("indicator", artifact, indicator_key(indicator.type, indicator.value), hits[0].observed)


def indicator_severity(ref: IndicatorRef, weak: bool) -> Severity:
    """How serious an indicator match is.

    Contact with an operator's infrastructure is HIGH. A vendor's public website (someone looked at
    the product), a parental-control ("watchware") product and a weak match (a name the system may
    have shortened) are MEDIUM: reasons for a closer look, not traces of an infection.
    """
    if weak or ref.role == "website" or ref.threat == "watchware":
        return Severity.MEDIUM
    return Severity.HIGH


def merge_detections(detections: list[Detection]) -> list[Detection]:
    """Merge detections with the same id (e.g. from stored runs written before grouping)."""
    groups: dict[str, DetectionGroup] = {}
    for d in detections:
        group = groups.get(d.id)
        if group is None:
            group = groups[d.id] = DetectionGroup(d)
        occurrences = d.occurrences or [Occurrence(source=_source_of(d.record), timestamp=d.timestamp)]
        for occ in occurrences:
            group.add(occ.source, occ.timestamp, d)
        for ref in d.sources or ([d.indicator] if d.indicator else []):
            if ref not in group.sources:
                group.sources.append(ref)
        group.count += max(0, d.count - len(occurrences))
    return [g.build() for g in groups.values()]


def _source_of(record: dict[str, Any]) -> str:
    source = record.get("source") if isinstance(record, dict) else None
    try:
        return msgspec.convert(source, SourceRef).describe()
    except msgspec.ValidationError:
        return ""


__all__ = [
    "DetectionGroup",
    "ObservableRef",
    "finding_id",
    "indicator_key",
    "indicator_severity",
    "merge_detections",
]
