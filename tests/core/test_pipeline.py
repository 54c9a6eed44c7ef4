"""The detection pipeline shared by check and recheck: observables, heuristics, dedupe, timeline."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import pytest

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


def test_records_are_written_in_blocks_and_all_by_finish() -> None:
    from spyscan.detection.pipeline import WRITE_BLOCK

    out = io.BytesIO()
    pipeline = RecordPipeline("a", NullMatcher(), [], records_out=out)
    visits = [Visit(source=SourceRef(file="db", table="t", rowid=i), url=f"https://x{i}.example/", key=i)
              for i in range(WRITE_BLOCK + 7)]
    for visit in visits:
        pipeline.feed(visit)
    assert len(out.getvalue().splitlines()) == WRITE_BLOCK  # one block written, the rest waits
    pipeline.finish()  # an artifact that failed half-way is finished too: nothing fed is lost
    lines = out.getvalue().splitlines()
    assert [msgspec.json.decode(line, type=Visit) for line in lines] == visits


def test_an_artifact_failing_half_way_keeps_every_record_it_yielded(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's job: the records read before the error are all in the records file and the timeline."""
    from spyscan.artifacts.base import Artifact, ArtifactLog
    from spyscan.engine import jobs
    from spyscan.evidence.base import Evidence
    from spyscan.timeline.rows import read_part

    class HalfWay(Artifact):
        id = "test.half_way"
        kinds = ("ios-backup",)
        title = "fails after 700 records"
        records = (Visit,)

        def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Visit]:
            for i in range(700):
                yield Visit(source=SourceRef(file="db", rowid=i), url=f"https://x{i}.example/", key=i,
                            when=datetime(2024, 1, 1, tzinfo=UTC))
            raise RuntimeError("damaged page")

    monkeypatch.setattr(jobs, "all_artifacts", lambda: {HalfWay.id: HalfWay})
    monkeypatch.setattr(jobs, "_records_from_artifact",
                        lambda job, lg: HalfWay().collect(None, lg))  # type: ignore[arg-type]
    (tmp_path / "records").mkdir()
    (tmp_path / "parts").mkdir()
    with jobs.using(jobs.Shared(matcher=NullMatcher(), rules=[], records_dir=tmp_path / "records",
                                parts_dir=tmp_path / "parts")):
        outcome = jobs.execute(HalfWay.id, HalfWay.title, jobs.ARTIFACT)
    assert outcome.status.status == "error" and "damaged page" in (outcome.status.error or "")
    lines = (tmp_path / "records" / f"{HalfWay.id}.jsonl").read_bytes().splitlines()
    assert [msgspec.json.decode(line, type=Visit).key for line in lines] == list(range(700))
    assert sum(1 for part in outcome.timeline_parts for _ in read_part(Path(part))) == 700


def test_a_message_padded_with_decoy_links_still_shows_the_last_one() -> None:
    from spyscan.links.text import links_in

    text = " ".join(f"https://decoy{n}.example/" for n in range(500)) + " https://evil.test/x"
    assert links_in(text)[-1] == "https://evil.test/x" and len(links_in(text)) == 501


def test_warnings_past_the_limit_are_counted_not_dropped_silently() -> None:
    from spyscan.artifacts.base import MAX_WARNINGS, ArtifactLog

    log = ArtifactLog()
    for n in range(MAX_WARNINGS + 40):
        log.warn(f"w{n}")
    assert len(log.warnings) == MAX_WARNINGS and log.warnings[-1].startswith("... and 41 more warnings")
