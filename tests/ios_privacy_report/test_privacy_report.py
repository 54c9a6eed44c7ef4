"""App Privacy Report: the kind, the artifact, its bounds, its two rules, and whole checks on the real sample."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios.privacy_report import IOSPrivacyReport
from spyscan.detection.heuristics.base import all_rules
from spyscan.detection.model import Detection, Severity
from spyscan.detection.pipeline import NullMatcher, RecordPipeline
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.errors import EXIT_CLEAN, EXIT_DETECTIONS, BudgetExceeded
from spyscan.kinds import detect_kind, ios_privacy_report
from spyscan.kinds.ios_privacy_report import IOSPrivacyReportEvidence
from spyscan.records.base import Record
from spyscan.records.ios_privacy_report import PrivacyReportAccess, PrivacyReportNetwork

SAMPLE = "ios_app_privacy_report.ndjson"
PLANTED_DOMAIN = "weather4free.com"  # a Pegasus domain of Amnesty's 2021 NSO investigation (bundled feed)
PLANTED_FIRST = "2022-04-27T11:10:02.250-04:00"


@pytest.fixture
def real_report(shared_dir: Path) -> Path:
    path = shared_dir / "fixtures" / "plaso-samples" / SAMPLE
    if not path.is_file():
        pytest.skip(f"the real App Privacy Report sample is not present at {path}")
    return path


def network(bundle: str, domain: str, first: str, last: str | None = None, **extra: object) -> str:
    entry = {"timeStamp": last or first, "initiatedType": "AppInitiated", "context": "", "domain": domain,
             "contextVerificationType": 0, "type": "networkActivity", "domainType": 2, "firstTimeStamp": first,
             "bundleID": bundle, "domainOwner": "", "hits": 1, "domainClassification": 1, **extra}
    return json.dumps(entry, separators=(",", ":"))


def access(identifier: str, category: str, when: str, kind: str = "intervalBegin", id_type: str = "bundleID") -> str:
    return json.dumps({"accessor": {"identifier": identifier, "identifierType": id_type}, "category": category,
                       "identifier": "0E0134C2-8E0C-40AD-8620-099F6D9C0BEB", "kind": kind, "timeStamp": when,
                       "type": "access"}, separators=(",", ":"))


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def read(path: Path, tmp_path: Path) -> tuple[list[Record], ArtifactLog]:
    evidence = IOSPrivacyReportEvidence(path, tmp_path / "work")
    evidence.open()
    log = ArtifactLog()
    return list(IOSPrivacyReport().collect(evidence, log)), log


def rules_over(records: list[Record]) -> list[Detection]:
    pipeline = RecordPipeline(IOSPrivacyReport.id, NullMatcher(), list(all_rules().values()))
    for record in records:
        pipeline.feed(record)
    return pipeline.finish()


def options(out: Path) -> RunOptions:
    return RunOptions(output=out, indicators=IndicatorOptions(paths=[], bundled=True), jobs=1)


# -- the real sample --------------------------------------------------------------------------------------


def test_real_sample_is_detected_and_read(real_report: Path, tmp_path: Path) -> None:
    assert detect_kind(real_report) == "ios-privacy-report"
    records, log = read(real_report, tmp_path)
    assert not log.warnings
    accesses = [r for r in records if isinstance(r, PrivacyReportAccess)]
    nets = [r for r in records if isinstance(r, PrivacyReportNetwork)]
    assert (len(accesses), len(nets)) == (8, 64)
    first = accesses[0]
    assert (first.bundle_id, first.category, first.kind) == ("com.apple.mobileslideshow", "photos", "intervalBegin")
    assert first.time == datetime(2022, 4, 27, 14, 53, 24, 555000, tzinfo=UTC)  # -04:00 in the file
    chrome = next(r for r in nets if r.domain == "google.com")
    assert (chrome.bundle_id, chrome.context, chrome.initiated, chrome.domain_owner, chrome.hits) == (
        "com.google.chrome.ios", "youtube.com", "NonAppInitiated", "Google LLC", 4)


def test_real_sample_raises_nothing_medium_or_higher(real_report: Path, tmp_path: Path) -> None:
    result = check(real_report, None, options(tmp_path / "out"))
    assert result.exit_code == EXIT_CLEAN
    assert [d for d in result.detections if d.severity.rank >= Severity.MEDIUM.rank] == []
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["kind"] == "ios-privacy-report"
    assert run["artifacts"]["ios.privacy_report"]["records"] == 72


def test_planted_public_domain_gives_exactly_that_detection_with_its_time(real_report: Path, tmp_path: Path) -> None:
    lines = real_report.read_text(encoding="utf-8").splitlines()
    planted = network("com.example.weather", f"api.{PLANTED_DOMAIN}", PLANTED_FIRST, "2022-04-27T11:12:40.000-04:00")
    report = write(tmp_path / "App_Privacy_Report_v4_2022-04-27.ndjson", [*lines[:20], planted, *lines[20:]])
    result = check(report, None, options(tmp_path / "out"))
    assert result.exit_code == EXIT_DETECTIONS
    found = [d for d in result.detections if d.severity.rank >= Severity.MEDIUM.rank]
    assert len(found) == 1
    (hit,) = found
    assert hit.kind == "indicator" and hit.indicator is not None and hit.indicator.value == PLANTED_DOMAIN
    assert hit.observable is not None and hit.observable.value == f"api.{PLANTED_DOMAIN}"
    assert hit.indicator.malware == "Pegasus"
    assert hit.timestamp == "2022-04-27T15:10:02.250000Z"
    assert hit.record["source"] == {"file": report.name, "line": 21}


# -- reading, bounds and damage ---------------------------------------------------------------------------


def test_folder_of_reports_and_detection_limits(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    write(folder / "a.ndjson", [network("com.example.a", "example.org", "2024-01-01T10:00:00Z")])
    write(folder / "b.ndjson", [access("com.example.b", "camera", "2024-01-02T10:00:00Z")])
    (folder / "notes.txt").write_text("not a report\n")
    assert detect_kind(folder) == "ios-privacy-report"
    records, _ = read(folder, tmp_path)
    assert [r.source.file for r in records] == ["a.ndjson", "b.ndjson"]
    other = write(tmp_path / "other.ndjson", ['{"type": "dns_event", "timeStamp": "x"}'])
    assert not IOSPrivacyReportEvidence.detect(other)


def test_damaged_lines_are_counted_not_fatal(tmp_path: Path) -> None:
    report = tmp_path / "r.ndjson"
    good = network("com.example.a", "example.org", "2024-01-01T10:00:00Z")
    huge = '{"type":"networkActivity","domain":"' + "a" * (ios_privacy_report.MAX_LINE + 10) + '"}'
    report.write_text("\n".join([good, "{not json", huge, '["list"]', '{"type":"other"}', good[:-1] + ',"x":1}',
                                 access("", "camera", "2024-01-01T10:00:00Z"),
                                 network("com.example.b", "example.net", "yesterday")]), encoding="utf-8")
    records, log = read(report, tmp_path)
    assert [getattr(r, "domain", None) for r in records] == ["example.org", "example.org", "example.net"]
    text = " | ".join(log.warnings)
    for expected in ("2 line(s) are not JSON objects", "1 line(s) longer than 64 KiB", "type other than",
                     "no line break", "name neither the app nor the domain", "is not ISO 8601"):
        assert expected in text, (expected, log.warnings)


def test_record_ceiling_stops_with_truncated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ios_privacy_report, "MAX_RECORDS", 3)
    report = write(tmp_path / "r.ndjson", [network("com.example.a", f"h{i}.example.org", "2024-01-01T10:00:00Z")
                                           for i in range(5)])
    evidence = IOSPrivacyReportEvidence(report, tmp_path / "work")
    evidence.open()
    got: list[Record] = []
    with pytest.raises(BudgetExceeded) as raised:
        for record in IOSPrivacyReport().collect(evidence, ArtifactLog()):
            got.append(record)
    assert raised.value.status == "truncated" and len(got) == 3
    assert [i.path for i in evidence.inputs.items()] == ["r.ndjson"]  # hashed whole, for the custody log


# -- rules --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("identifier", "id_type", "severity"), [
    ("/private/var/db/com.apple.xpc.roleaccountd.staging/bh", "path", Severity.HIGH),
    ("/private/var/mobile/Library/bin/agent", "path", Severity.MEDIUM),
    ("/usr/libexec/locationd", "path", None),
    ("/private/var/containers/Bundle/Application/0A/X.app/X", "path", None),
    ("com.example.ok", "bundleID", None),
    ("bad id!", "bundleID", Severity.LOW),
])
def test_unidentified_program(identifier: str, id_type: str, severity: Severity | None) -> None:
    records: list[Record] = [
        PrivacyReportAccess(source=_src(1), accessor=identifier, accessor_type=id_type,
                            bundle_id=None if id_type == "path" else identifier,
                            path=identifier if id_type == "path" else None, category="microphone"),
        PrivacyReportNetwork(source=_src(2), bundle_id=identifier, domain="example.org"),
    ]
    hits = [d for d in rules_over(records) if d.rule == "ios.privacy_report_unidentified_app"]
    if severity is None:
        assert hits == []
    else:
        assert {d.severity for d in hits} == {severity} and len(hits) == 1 and hits[0].count == 2  # one finding


def test_app_silent_after_sensitive_access_is_low_and_only_then() -> None:
    def when(day: int) -> datetime:
        return datetime(2024, 3, day, 12, tzinfo=UTC)

    records: list[Record] = [
        PrivacyReportAccess(source=_src(1), accessor="com.spy.app", bundle_id="com.spy.app", category="microphone",
                            time=when(1)),
        PrivacyReportNetwork(source=_src(2), bundle_id="com.spy.app", domain="example.org", first_time=when(1),
                             time=when(2)),
        PrivacyReportAccess(source=_src(3), accessor="com.busy.app", bundle_id="com.busy.app", category="camera",
                            time=when(1)),
        PrivacyReportNetwork(source=_src(4), bundle_id="com.busy.app", domain="example.net", time=when(7)),
        PrivacyReportAccess(source=_src(5), accessor="com.apple.camera", bundle_id="com.apple.camera",
                            category="camera", time=when(1)),
        PrivacyReportNetwork(source=_src(6), bundle_id="com.quiet.app", domain="example.com", time=when(1)),
    ]
    hits = [d for d in rules_over(records) if d.rule == "ios.privacy_report_app_gone"]
    assert [(d.observable.value if d.observable else None, d.severity) for d in hits] == [("com.spy.app", Severity.LOW)]
    assert "5 days before" in hits[0].message and hits[0].timestamp == "2024-03-01T12:00:00Z"


def _src(line: int) -> object:
    from spyscan.records.base import SourceRef

    return SourceRef(file="r.ndjson", line=line)
