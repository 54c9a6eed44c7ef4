"""One detection per finding: (rule or indicator, observed value, artifact), with every occurrence."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from spyscan.detection.grouping import finding_id, indicator_key, merge_detections
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import MAX_OCCURRENCES, PROTECTION, Detection, Severity
from spyscan.detection.pipeline import RecordPipeline
from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.model import Indicator
from spyscan.observables import Obs
from spyscan.records.base import Record, SourceRef

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


class Op(Record, frozen=True, tag="test.grouping.op"):
    package: str
    op: str
    when: datetime | None = None
    text: str | None = None

    OBSERVABLES = (("package", Obs.APP_ID), ("text", Obs.TEXT))
    TIMESTAMPS = (("when", "used"),)


class InstallRule(Rule):
    id = "test.grouping.install"
    title = "may install apps"
    record_types = (Op,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, Op)
        if record.op.startswith("INSTALL"):
            severity = Severity.HIGH if record.op == "INSTALL_SILENT" else None
            yield Finding(record=record, message=f"{record.package} {record.op}", severity=severity,
                          observable_type="app_id", observable_value=record.package)


class AdviceRule(Rule):
    id = "test.grouping.advice"
    title = "advice"
    category = PROTECTION
    record_types = (Op,)

    def check(self, record: Record) -> Iterable[Finding]:
        yield Finding(record=record, message="update the phone")


def _op(line: int, package: str = "com.spy.app", op: str = "INSTALL_PACKAGES", minutes: int = 0,
        text: str | None = None) -> Op:
    return Op(source=SourceRef(file="dumpsys.txt", line=line), package=package, op=op,
              when=T0 + timedelta(minutes=minutes), text=text)


def _ind(type_: str, value: str, file: str, stix: str, **extra: str) -> Indicator:
    return Indicator(type=type_, value=value, stix_id=stix, malware="Spy", file=file, **extra)  # type: ignore[arg-type]


def _run(records: Iterable[Record], indicators: Iterable[Indicator] = (), rules: Iterable[type[Rule]] = ()
         ) -> list[Detection]:
    pipeline = RecordPipeline("android.test", IndicatorIndex.build(list(indicators)), list(rules))
    for record in records:
        pipeline.feed(record)
    return pipeline.finish()


def test_one_app_in_eight_lines_is_one_detection_with_eight_occurrences() -> None:
    found = _run([_op(line, minutes=10 - line) for line in range(1, 9)], rules=[InstallRule])
    assert len(found) == 1
    d = found[0]
    assert d.count == 8 and len(d.occurrences) == 8
    assert {o.source for o in d.occurrences} == {f"dumpsys.txt, line {n}" for n in range(1, 9)}
    assert d.timestamp == "2024-05-01T10:02:00Z" and d.last_seen == "2024-05-01T10:09:00Z"
    assert [o.timestamp for o in d.occurrences] == sorted(o.timestamp or "" for o in d.occurrences)


def test_identity_does_not_depend_on_where_the_record_is() -> None:
    a = _run([_op(1)], rules=[InstallRule])[0]
    b = _run([_op(99, minutes=5)], rules=[InstallRule])[0]
    assert a.id == b.id == finding_id("heuristic", "android.test", InstallRule.id, "app_id\x1ecom.spy.app")


def test_a_more_serious_occurrence_leads_the_detection() -> None:
    found = _run([_op(1), _op(2, op="INSTALL_SILENT")], rules=[InstallRule])
    assert len(found) == 1 and found[0].severity == Severity.HIGH and found[0].message.endswith("INSTALL_SILENT")
    assert found[0].record["source"]["line"] == 2 and found[0].count == 2


def test_a_value_listed_by_two_feeds_is_one_detection_naming_both() -> None:
    inds = [_ind("app:id", "com.spy.app", "echap.stix2", "indicator--1"),
            _ind("app:id", "com.spy.app", "other.stix2", "indicator--2")]
    found = _run([_op(1), _op(2)], inds)
    assert len(found) == 1
    assert [(s.file, s.stix_id) for s in found[0].sources] == [("echap.stix2", "indicator--1"),
                                                                ("other.stix2", "indicator--2")]
    assert found[0].count == 2 and found[0].id == finding_id(
        "indicator", "android.test", indicator_key("app:id", "com.spy.app"), "com.spy.app")


def test_two_different_indicators_on_one_record_are_two_detections() -> None:
    inds = [_ind("domain-name:value", "evil.test", "a.stix2", "indicator--1"),
            _ind("domain-name:value", "bad.test", "a.stix2", "indicator--2")]
    found = _run([_op(1, package="com.ok", op="X", text="see https://evil.test/a and https://bad.test/b")], inds)
    assert sorted(d.indicator.value for d in found if d.indicator) == ["bad.test", "evil.test"]
    assert all(d.count == 1 for d in found)


def test_occurrences_are_listed_up_to_the_cap_and_counted_past_it() -> None:
    n = MAX_OCCURRENCES + 250
    found = _run((_op(line) for line in range(n)), rules=[InstallRule])
    assert found[0].count == n and len(found[0].occurrences) == MAX_OCCURRENCES


def test_website_and_watchware_values_are_medium_c2_is_high() -> None:
    inds = [_ind("domain-name:value", "vendor.test", "e.stix2", "indicator--1", role="website"),
            _ind("domain-name:value", "c2.test", "e.stix2", "indicator--2", role="c2"),
            _ind("app:id", "com.parent.app", "w.stix2", "indicator--3", threat="watchware")]
    records = [_op(1, package="com.x", op="X", text="https://vendor.test/ https://c2.test/"),
               _op(2, package="com.parent.app", op="X")]
    found = {d.indicator.value: d.severity for d in _run(records, inds) if d.indicator}
    assert found == {"vendor.test": Severity.MEDIUM, "c2.test": Severity.HIGH, "com.parent.app": Severity.MEDIUM}


def test_rule_category_reaches_the_detection() -> None:
    found = _run([_op(1, op="X")], rules=[AdviceRule])
    assert [d.category for d in found] == [PROTECTION]


def test_merge_maps_ungrouped_detections_onto_one() -> None:
    ungrouped = [d for line in (1, 2, 3) for d in _run([_op(line, minutes=line)], rules=[InstallRule])]
    merged = merge_detections(ungrouped)
    assert len(merged) == 1 and merged[0].count == 3 and merged[0].timestamp == "2024-05-01T10:01:00Z"
