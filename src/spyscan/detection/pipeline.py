"""The one detection path shared by ``check`` and ``recheck``.

Records of one artifact go through ``RecordPipeline.feed``: observables are matched against the
indicator index, heuristic rules see the records of their types, timeline rows are collected and
(optionally) each record is written to the artifact's JSONL file, in blocks of ``WRITE_BLOCK``
records (``finish`` writes the rest, also after an artifact failed half-way).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any, Protocol

import msgspec

from spyscan.detection.grouping import DetectionGroup, finding_id, indicator_key, indicator_severity
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import COMPROMISE, Detection, IndicatorRef, ObservableRef, Severity
from spyscan.detection.system_processes import SystemProcess, system_collision
from spyscan.indicators.index import OBS_FOR_TYPE
from spyscan.indicators.model import IndicatorMatch
from spyscan.observables import Obs
from spyscan.records.base import Record, first_timestamp, observable_items, plan_for
from spyscan.texts import message_of, tr
from spyscan.timeutil import iso
from spyscan.visible import json_visible

WRITE_BLOCK = 512  # records encoded to JSON lines in one call


class Matcher(Protocol):
    def match(self, obs: Obs, value: str) -> list[IndicatorMatch]: ...


class TimelineSink(Protocol):
    def add(self, artifact: str, record: Record) -> None: ...


class RuleInfo(Protocol):
    """What a finding's detection takes from its rule (a ``Rule`` or a ``RunRule``)."""

    @property
    def id(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def why(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def advice(self) -> str: ...


class NullMatcher:
    def match(self, obs: Obs, value: str) -> list[IndicatorMatch]:
        return []


def record_dict(record: Record) -> dict[str, Any]:
    data = msgspec.to_builtins(record)
    assert isinstance(data, dict)
    return data


class RecordPipeline:
    def __init__(
        self,
        artifact: str,
        matcher: Matcher,
        rules: Iterable[type[Rule]],
        records_out: IO[bytes] | None = None,
        timeline: TimelineSink | None = None,
    ) -> None:
        self.artifact = artifact
        self.matcher = matcher
        self.rules = [rule() for rule in rules]
        self.records_out = records_out
        self.timeline = timeline
        self.groups: dict[str, DetectionGroup] = {}  # one per finding (see detection/grouping.py)
        self.count = 0
        self._encoder = msgspec.json.Encoder()
        self._unwritten: list[Record] = []  # records waiting to be written as one block of JSON lines
        self._rule_types: dict[type[Record], list[Rule]] = {}
        self._last_record: dict[str, Record] = {}  # per indicator finding, the last record it rested on

    def _rules_for(self, cls: type[Record]) -> list[Rule]:
        rules = self._rule_types.get(cls)
        if rules is None:
            rules = [r for r in self.rules if issubclass(cls, r.record_types)]
            self._rule_types[cls] = rules
        return rules

    def feed(self, record: Record) -> None:
        self.count += 1
        if self.records_out is not None:
            self._unwritten.append(record)
            if len(self._unwritten) >= WRITE_BLOCK:
                self.flush()
        if self.timeline is not None:
            self.timeline.add(self.artifact, record)
        plan = plan_for(type(record))
        for (field, obs), value in zip(plan.observable_fields, plan.observables(record), strict=True):
            if type(value) is str:  # the usual case, without a generator
                if value:
                    for hit in self.matcher.match(obs, value):
                        self._add_indicator_hit(record, field, obs, value, hit)
            elif value is not None:
                for item in observable_items(value):
                    for hit in self.matcher.match(obs, item):
                        self._add_indicator_hit(record, field, obs, item, hit)
        for rule in self._rules_for(type(record)):
            for finding in rule.check(record):
                self.add_finding(rule, finding)

    def flush(self) -> None:
        """Write the records fed so far (``finish`` does it too)."""
        if self._unwritten and self.records_out is not None:
            self.records_out.write(json_visible(self._encoder.encode_lines(self._unwritten)))
        self._unwritten.clear()

    def finish(self) -> list[Detection]:
        self.flush()
        for rule in self.rules:
            for finding in rule.finish():
                self.add_finding(rule, finding)
        return self.detections()

    def detections(self) -> list[Detection]:
        """The findings so far, one detection each (also usable after an artifact failed half-way)."""
        return [group.build() for group in self.groups.values()]

    def _add(self, detection: Detection, source: str, indicator: IndicatorRef | None = None) -> None:
        group = self.groups.get(detection.id)
        if group is None:
            group = self.groups[detection.id] = DetectionGroup(detection)
        group.add(source, detection.timestamp, detection, indicator)

    def _add_indicator_hit(self, record: Record, field: str, obs: Obs, value: str, hit: IndicatorMatch) -> None:
        ind = hit.indicator
        ref = IndicatorRef(value=ind.value, type=ind.type, malware=ind.malware, stix_id=ind.stix_id, file=ind.file,
                           threat=ind.threat, role=ind.role, platform=ind.platform)
        det_id = finding_id("indicator", self.artifact, indicator_key(ind.type, ind.value), hit.observed)
        group = self.groups.get(det_id)
        source = record.source.describe()
        # an app id found in a process field and in the package field of one record is one occurrence,
        # best shown as the package field
        natural = str(OBS_FOR_TYPE.get(ind.type, obs))
        same_record = group is not None and self._last_record.get(det_id) is record
        shown = group.template if group is not None else None
        better_face = (shown is not None and str(obs) == natural and shown.observable is not None
                       and shown.observable.type != natural)
        if group is not None and hit.weak is False and not better_face and (
                same_record or group.template.severity.rank >= Severity.HIGH.rank):
            group.add(source, iso(first_timestamp(record)), None, ref)  # the usual repeat: no new Detection
            self._last_record[det_id] = record
            return
        family: str = ind.malware or tr("unattributed")
        if hit.weak:
            message = tr("%(field)s '%(value)s' matches %(family)s indicator %(type)s = '%(indicator)s' "
                         "[%(quality)s] (weak: the name may be truncated)", field=field, value=value, family=family,
                         type=ind.type, indicator=ind.value, quality=hit.quality)
        else:
            message = tr("%(field)s '%(value)s' matches %(family)s indicator %(type)s = '%(indicator)s' [%(quality)s]",
                         field=field, value=value, family=family, type=ind.type, indicator=ind.value,
                         quality=hit.quality)
        severity = indicator_severity(ref, hit.weak)
        system = _system_process(record, obs, value, hit) if ind.type == "process:name" else None
        if system is not None:
            severity = Severity.INFO
            message = tr("%(message)s; %(name)s is also a genuine %(platform)s system process, seen here at its system "
                         "location %(location)s (%(source)s): most likely that process", message=message,
                         name=system.name, platform=system.platform, location=system.location, source=system.source)
        detection = Detection(
            id=det_id,
            severity=severity,
            kind="indicator",
            artifact=self.artifact,
            message=str(message),
            text=message.message,
            timestamp=iso(first_timestamp(record)),
            observable=ObservableRef(type=str(obs), value=value),
            indicator=ref,
            record=record_dict(record),
            match=hit.quality,
            category=COMPROMISE,
        )
        if group is not None and same_record:  # the same occurrence (a second field of the record)
            group.add(source, iso(first_timestamp(record)), None, ref)
            if better_face and detection.severity.rank >= group.template.severity.rank:
                group.template = detection
            return
        self._add(detection, source, ref)
        self._last_record[det_id] = record
        if better_face and self.groups[det_id].template.severity.rank <= detection.severity.rank:
            self.groups[det_id].template = detection

    def add_finding(self, rule: RuleInfo, finding: Finding) -> None:
        """One finding of ``rule`` (also of a run rule, for the job its record belongs to)."""
        record = finding.record
        observable = None
        if finding.observable_type and finding.observable_value is not None:
            observable = ObservableRef(type=finding.observable_type, value=finding.observable_value)
        observed = f"{observable.type}\x1e{observable.value}" if observable is not None else None
        self._add(
            Detection(
                id=finding_id("heuristic", self.artifact, rule.id, observed, str(finding.message)),
                severity=finding.severity or rule.severity,
                kind="heuristic",
                artifact=self.artifact,
                message=str(finding.message),
                text=message_of(finding.message),
                timestamp=iso(first_timestamp(record)),
                observable=observable,
                indicator=None,
                record=record_dict(record),
                rule=rule.id,
                why=rule.why or None,
                title=rule.title or None,
                advice=rule.advice or None,
                category=finding.category or rule.category,
            ),
            record.source.describe(),
        )


def _system_process(record: Record, obs: Obs, value: str, hit: IndicatorMatch) -> SystemProcess | None:
    """The genuine system process a process-name hit names, when the record shows it at its system location
    (the observed value itself when it is a path, or any path field of the record)."""
    locations = [value] if obs is Obs.PROCESS and value.startswith("/") else []
    plan = plan_for(type(record))
    for (_field, field_obs), field_value in zip(plan.observable_fields, plan.observables(record), strict=True):
        if field_obs is Obs.FILE_PATH and field_value:
            locations.extend([field_value] if isinstance(field_value, str) else observable_items(field_value))
    return system_collision(hit.observed, locations) if locations else None
