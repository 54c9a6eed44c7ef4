"""The run-level rule step (engine/run_rules.py): rules over the records of several artifacts of one run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import msgspec
import pytest

from spyscan.detection.heuristics.base import Finding, RunRule, all_rules, all_run_rules
from spyscan.detection.model import Detection, Severity
from spyscan.engine.run_rules import apply_run_rules
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.android_settings import AndroidSetting
from spyscan.records.base import Record, SourceRef


def _write(records_dir: Path, job: str, records: list[Record]) -> None:
    (records_dir / f"{job}.jsonl").write_bytes(msgspec.json.Encoder().encode_lines(records))


def _detection(job: str, rule: str, severity: Severity = Severity.MEDIUM) -> Detection:
    return Detection(id=f"{job}-{rule}", severity=severity, kind="heuristic", artifact=job, message="m",
                     timestamp=None, observable=None, indicator=None, record={}, rule=rule)


class _PairRule(RunRule):
    """Test double: a package that also has a setting named after it (two artifacts)."""

    id = "test.pair"
    title = "pair"
    why = "test"
    record_types = (AndroidPackage, AndroidSetting)

    def __init__(self) -> None:
        self.packages: dict[str, tuple[str, AndroidPackage]] = {}
        self.settings: set[str] = set()
        self.seen_jobs: list[str] = []

    def check(self, record: Record, job: str) -> None:
        self.seen_jobs.append(job)
        if isinstance(record, AndroidPackage):
            self.packages[record.package] = (job, record)
        elif isinstance(record, AndroidSetting):
            self.settings.add(record.name)

    def findings(self, detections: Sequence[Detection]) -> Iterable[tuple[str, Finding]]:
        for name, (job, record) in self.packages.items():
            if name in self.settings:
                yield job, Finding(record=record, message=f"{name} in both", observable_type="app_id",
                                   observable_value=name)

    def review(self, detection: Detection) -> Detection:
        if detection.rule == "lower.me":
            return msgspec.structs.replace(detection, severity=Severity.INFO)
        return detection


class _Broken(RunRule):
    id = "test.broken"
    title = "broken"
    why = "test"
    record_types = (AndroidSetting,)

    def check(self, record: Record, job: str) -> None:
        raise RuntimeError("boom")


class _IdChanger(RunRule):
    id = "test.ids"
    title = "ids"
    why = "test"

    def review(self, detection: Detection) -> Detection:
        return msgspec.structs.replace(detection, id="other")


def test_findings_need_records_of_two_artifacts_and_reviews_apply(tmp_path: Path) -> None:
    _write(tmp_path, "android.androidqf.packages", [
        AndroidPackage(source=SourceRef(file="packages.json", key="[0]"), package="com.example.both"),
        AndroidPackage(source=SourceRef(file="packages.json", key="[1]"), package="com.example.one")])
    _write(tmp_path, "android.dumpsys.settings@bugreport:bugreport.zip", [
        AndroidSetting(source=SourceRef(file="dumpstate.txt", line=3), namespace="secure", name="com.example.both",
                       value="1")])
    before = {"android.androidqf.packages": [_detection("android.androidqf.packages", "lower.me")],
              "android.dumpsys.settings@bugreport:bugreport.zip": [],
              "android.androidqf.getprop": [_detection("android.androidqf.getprop", "keep.me")]}
    after, errors = apply_run_rules(tmp_path, before, [_PairRule])
    assert errors == []
    assert [d.severity for d in after["android.androidqf.packages"] if d.rule == "lower.me"] == [Severity.INFO]
    assert after["android.androidqf.getprop"] == before["android.androidqf.getprop"]
    new = [d for d in after["android.androidqf.packages"] if d.rule == "test.pair"]
    assert len(new) == 1 and new[0].message == "com.example.both in both"
    assert new[0].artifact == "android.androidqf.packages" and new[0].count == 1


def test_only_records_files_of_artifacts_with_wanted_types_are_read(tmp_path: Path) -> None:
    _write(tmp_path, "android.androidqf.packages", [AndroidPackage(source=SourceRef(file="p"), package="a.b")])
    (tmp_path / "android.androidqf.logcat.jsonl").write_text("not json at all\n")  # never opened
    rule_holder: list[_PairRule] = []

    class Spy(_PairRule):
        def __init__(self) -> None:
            super().__init__()
            rule_holder.append(self)

    warnings: list[str] = []
    apply_run_rules(tmp_path, {"android.androidqf.packages": [], "android.androidqf.logcat": []}, [Spy],
                    warnings.append)
    assert rule_holder[0].seen_jobs == ["android.androidqf.packages"] and warnings == []


def test_a_failing_run_rule_costs_only_its_own_findings(tmp_path: Path) -> None:
    _write(tmp_path, "android.androidqf.settings", [
        AndroidSetting(source=SourceRef(file="s"), namespace="global", name="x", value="1")])
    kept = {"android.androidqf.settings": [_detection("android.androidqf.settings", "keep")]}
    after, errors = apply_run_rules(tmp_path, kept, [_Broken, _IdChanger])
    assert after == kept
    assert any("test.broken failed: RuntimeError: boom" in e for e in errors)
    assert any("test.ids failed" in e and "changed the id" in e for e in errors)


def test_shipped_run_rules_are_distinct_from_per_artifact_rules() -> None:
    run_rules = all_run_rules()
    assert {"android.interception_app", "android.acquisition_traces"} <= set(run_rules)
    assert not set(run_rules) & set(all_rules())
    for cls in run_rules.values():
        assert cls.title and cls.why, cls.id


@pytest.mark.parametrize("job", ["android.dumpsys.receivers", "unknown.artifact"])
def test_unknown_or_irrelevant_jobs_without_records_are_fine(tmp_path: Path, job: str) -> None:
    after, errors = apply_run_rules(tmp_path, {job: []}, [_PairRule])
    assert after == {job: []} and errors == []
