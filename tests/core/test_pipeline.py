"""The detection pipeline shared by check and recheck: observables, heuristics, dedupe, timeline."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from datetime import UTC, datetime

import msgspec

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.detection.pipeline import NullMatcher, RecordPipeline
from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.model import Indicator
from spyscan.observables import Obs
from spyscan.records.base import Record, SourceRef
from spyscan.timeline.rows import TimelineRow, rows_for


class Visit(Record, frozen=True, tag="test.pipeline.visit"):
    url: str
    body: str | None = None
    when: datetime | None = None
    key: int = 0

    OBSERVABLES = (("url", Obs.URL), ("body", Obs.TEXT))
    TIMESTAMPS = (("when", "visited"),)


class GapRule(Rule):
    id = "test.pipeline.gap"
    title = "gap in keys"
    why = "rows were deleted"
    severity = Severity.MEDIUM
    record_types = (Visit,)

    def __init__(self) -> None:
        self.keys: list[int] = []

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, Visit)
        self.keys.append(record.key)
        if "evil" in record.url:
            yield Finding(record=record, message="evil in url", severity=Severity.LOW)

    def finish(self) -> Iterable[Finding]:
        return ()


def _index() -> IndicatorIndex:
    return IndicatorIndex.build([Indicator(type="domain-name:value", value="bad-example.com", stix_id="indicator--1",
                                           malware="Fam", file="f.stix2")])


class _Sink:
    def __init__(self) -> None:
        self.rows: list[TimelineRow] = []

    def add(self, artifact: str, record: Record) -> None:
        self.rows.extend(rows_for(artifact, record))


def test_observables_heuristics_timeline_and_records() -> None:
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    out = io.BytesIO()
    sink = _Sink()
    pipeline = RecordPipeline("test.artifact", _index(), [GapRule], records_out=out, timeline=sink)
    v1 = Visit(source=SourceRef(file="db", table="t", rowid=1), url="https://x.bad-example.com/p",
               body="see https://bad-example.com/q and x.bad-example.com", when=when, key=1)
    v2 = Visit(source=SourceRef(file="db", table="t", rowid=2), url="https://evil.org/", key=2)
    pipeline.feed(v1)
    pipeline.feed(v2)
    pipeline.feed(v1)  # the same record twice: identical findings are reported once
    detections = pipeline.finish()
    indicator_hits = [d for d in detections if d.kind == "indicator"]
    # url host + two different observed values in the body, each once
    assert {d.observable.value for d in indicator_hits if d.observable} == {
        "https://x.bad-example.com/p", "see https://bad-example.com/q and x.bad-example.com"}
    assert all(d.timestamp == "2024-01-02T03:04:05Z" for d in indicator_hits)
    assert all(d.indicator and d.indicator.malware == "Fam" for d in indicator_hits)
    assert len({d.id for d in detections}) == len(detections)
    heuristic = [d for d in detections if d.kind == "heuristic"]
    assert len(heuristic) == 1 and heuristic[0].rule == "test.pipeline.gap"
    assert heuristic[0].severity == Severity.LOW and heuristic[0].why == "rows were deleted"
    assert heuristic[0].timestamp is None
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["record_type"] == "test.pipeline.visit"
    assert msgspec.json.decode(lines[1], type=Visit) == v2
    assert [r.event for r in sink.rows] == ["visited", "visited"]
    assert pipeline.count == 3


def test_null_matcher_runs_heuristics_only() -> None:
    pipeline = RecordPipeline("a", NullMatcher(), [GapRule])
    pipeline.feed(Visit(source=SourceRef(file="f"), url="http://evil.bad-example.com"))
    detections = pipeline.finish()
    assert [d.kind for d in detections] == ["heuristic"]


def test_detection_ids_are_stable_across_runs() -> None:
    def run() -> set[str]:
        pipeline = RecordPipeline("a", _index(), [GapRule])
        pipeline.feed(Visit(source=SourceRef(file="f", rowid=9), url="http://bad-example.com"))
        return {d.id for d in pipeline.finish()}

    assert run() == run()
