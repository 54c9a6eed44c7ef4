"""Intrusion-logging exports: the kind (folder, zip), the three artifacts, time zones, rules, whole check."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from builders.intrusion_logs import PLANTED, events, export_files, ndjson, write_folder, write_zip
from spyscan.artifacts.android.intrusion_connect import IntrusionConnect
from spyscan.artifacts.android.intrusion_dns import IntrusionDns
from spyscan.artifacts.android.intrusion_security import IntrusionSecurity, app_ids_in
from spyscan.artifacts.base import ArtifactLog
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.kinds import detect_kind
from spyscan.kinds.intrusion_logs import IntrusionLogsEvidence
from spyscan.records.android_intrusion import (
    IntrusionAdbCommand,
    IntrusionAdbFileTransfer,
    IntrusionAppProcessStart,
    IntrusionPackageEvent,
    IntrusionSecurityEvent,
)
from spyscan.records.base import Record

T0 = datetime(2024, 6, 1, 10, 0, tzinfo=UTC)
FEEDS = ["AmnestyTech__investigations/2021-07-18_nso/pegasus.stix2",
         "mvt-project__mvt-indicators/2023-07-25_wyrmspy_dragonegg/wyrmspy_dragonegg.stix2",
         "mvt-project__mvt-indicators/2022-06-23_rcs_lab/rcs.stix2",
         "AmnestyTech__investigations/2023-03-29_android_campaign/malware.stix2"]


@pytest.fixture(params=["folder", "zip"])
def export(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    files = export_files(planted=True)
    if request.param == "folder":
        return write_folder(tmp_path / "intrusion-logs", files)
    return write_zip(tmp_path / "intrusion-logs.zip", files)


def _open(path: Path, tmp_path: Path) -> IntrusionLogsEvidence:
    evidence = IntrusionLogsEvidence(path, tmp_path / "work")
    evidence.open()
    return evidence


def _collect(artifact: object, evidence: IntrusionLogsEvidence) -> tuple[list[Record], ArtifactLog]:
    log = ArtifactLog()
    return list(artifact.collect(evidence, log)), log  # type: ignore[attr-defined]


def test_detected(export: Path) -> None:
    assert detect_kind(export) == "intrusion-logs"


def test_dns_and_connect(export: Path, tmp_path: Path) -> None:
    evidence = _open(export, tmp_path)
    (dns,), log = _collect(IntrusionDns(), evidence)
    assert not log.warnings
    assert dns.hostname == f"cdn.{PLANTED['domain']}" and dns.ip_addresses == [PLANTED["ip"]]
    assert dns.package == "com.android.chrome" and dns.time == T0
    (conn,), _ = _collect(IntrusionConnect(), evidence)
    assert (conn.ip_address, conn.port) == (PLANTED["ip"], 443)
    assert conn.time == datetime(2024, 6, 1, 10, 0, 1, tzinfo=UTC)


def test_security_events(export: Path, tmp_path: Path) -> None:
    records, log = _collect(IntrusionSecurity(), _open(export, tmp_path))
    assert not log.warnings
    assert len(records) == 7  # the event present in both daily files is given once
    start = next(r for r in records if isinstance(r, IntrusionAppProcessStart))
    assert start.process == f"{PLANTED['app_id']}:remote" and start.package == PLANTED["app_id"]
    assert (start.uid, start.pid, start.sha256) == (10234, 4321, PLANTED["sha256"])
    assert start.time == datetime(2024, 6, 1, 10, 0, 2, tzinfo=UTC)
    package = next(r for r in records if isinstance(r, IntrusionPackageEvent))
    assert (package.action, package.package, package.version_code) == ("installed", PLANTED["app_id"], 7)
    command = next(r for r in records if isinstance(r, IntrusionAdbCommand))
    assert command.app_ids == [PLANTED["app_id"], "android.permission.READ_SMS"]
    pull = next(r for r in records if isinstance(r, IntrusionAdbFileTransfer))
    assert (pull.direction, pull.path) == ("pull", PLANTED["path"])
    tags = sorted(r.tag for r in records if isinstance(r, IntrusionSecurityEvent))
    assert tags == ["cert_validation_failure", "key_integrity_violation", "keyguard_dismissed"]


def test_app_ids_in_commands() -> None:
    assert app_ids_in("am start -n com.evil.app/.Main && cat /data/x/base.apk 1.2.3") == ["com.evil.app"]
    assert app_ids_in("ls -la /sdcard") == []


def test_local_times_use_the_device_zone(tmp_path: Path) -> None:
    folder = tmp_path / "acq"
    (folder / "intrusion-logs").mkdir(parents=True)
    (folder / "getprop.txt").write_text("[persist.sys.timezone]: [America/Mexico_City]\n")
    (folder / "intrusion-logs" / "day.txt").write_bytes(ndjson([
        {"dns_event": {"hostname": "a.example", "event_time": "2024-06-01 04:00:00", "ip_addresses": []}},
        {"dns_event": {"hostname": "b.example", "event_time": "2024-06-01T04:00:00+00:00"}},
    ]))
    evidence = _open(folder / "intrusion-logs", tmp_path)
    assert str(evidence.time_zone) == "America/Mexico_City"
    records, _ = _collect(IntrusionDns(), evidence)
    assert records[0].time == datetime(2024, 6, 1, 10, 0, tzinfo=UTC)  # 04:00 CST (UTC-6)
    assert records[0].time_raw == "2024-06-01 04:00:00"
    assert records[1].time == datetime(2024, 6, 1, 4, 0, tzinfo=UTC)


def test_time_zone_from_the_export(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "logs", {"a.txt": ndjson([
        {"timezone": "Asia/Tokyo"},
        {"connect_event": {"ip_address": "/192.0.2.1", "port": 80, "event_time": "2024-06-01 19:00:00"}}])})
    evidence = _open(folder, tmp_path)
    (record,), _ = _collect(IntrusionConnect(), evidence)
    assert record.time == datetime(2024, 6, 1, 10, 0, tzinfo=UTC)


def test_bad_lines_are_a_warning(tmp_path: Path) -> None:
    data = ndjson(events(False)[:1]) + b"{not json\n"
    evidence = _open(write_folder(tmp_path / "logs", {"a.txt": data}), tmp_path)
    records, log = _collect(IntrusionDns(), evidence)
    assert len(records) == 1 and log.warnings


def test_rules(tmp_path: Path, export: Path) -> None:
    from spyscan.detection.heuristics.android_intrusion_cert_validation_failure import (
        IntrusionCertValidationFailure,
    )
    from spyscan.detection.heuristics.android_intrusion_key_integrity import IntrusionKeyIntegrityViolation
    from spyscan.detection.pipeline import NullMatcher, RecordPipeline

    pipeline = RecordPipeline("android.intrusion.security", NullMatcher(),
                              [IntrusionCertValidationFailure, IntrusionKeyIntegrityViolation])
    for record in _collect(IntrusionSecurity(), _open(export, tmp_path))[0]:
        pipeline.feed(record)
    rules = sorted(d.rule or "" for d in pipeline.finish())
    assert rules == ["android.intrusion_cert_validation_failure", "android.intrusion_key_integrity_violation"]


@pytest.mark.parametrize("planted", [True, False])
def test_check_end_to_end(tmp_path: Path, public_iocs: Path, planted: bool) -> None:
    path = write_zip(tmp_path / "logs.zip", export_files(planted))
    out = tmp_path / "out"
    result = check(path, None, RunOptions(output=out, jobs=2, indicators=IndicatorOptions(
        paths=[public_iocs / f for f in FEEDS], bundled=False)))
    run = json.loads((out / "run.json").read_text())
    assert run["kind"] == "intrusion-logs"
    for artifact in ("android.intrusion.dns", "android.intrusion.connect", "android.intrusion.security"):
        assert run["artifacts"][artifact]["status"] == "ok"
    hits = {(d.observable.type, d.indicator.value) for d in result.detections
            if d.kind == "indicator" and d.observable and d.indicator}
    if not planted:
        assert hits == set()
        return
    assert ("domain", PLANTED["domain"]) in hits
    assert ("ip", PLANTED["ip"]) in hits
    assert ("sha256", PLANTED["sha256"]) in hits  # the process's APK hash, which the reference does not check
    assert ("app_id", PLANTED["app_id"]) in hits
    assert ("file_path", PLANTED["path"]) in hits
    stamps = {d.timestamp for d in result.detections if d.kind == "indicator"}
    assert "2024-06-01T10:00:00Z" in stamps


def test_nested_zips_are_read(tmp_path: Path) -> None:
    """The device writes one zip per download; androidqf pulls those zips as they are."""
    import io
    import zipfile

    files = export_files(planted=True)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("2024-06-02.txt", files["2024-06-02.txt"])
    middle = io.BytesIO()
    with zipfile.ZipFile(middle, "w") as zf:
        zf.writestr("2024-06-01.txt", files["2024-06-01.txt"])
        zf.writestr("more/day2.zip", inner.getvalue())
    folder = tmp_path / "intrusion_logs"
    folder.mkdir()
    (folder / "export-1.zip").write_bytes(middle.getvalue())
    evidence = _open(folder, tmp_path)
    records, _ = _collect(IntrusionSecurity(), evidence)
    start = next(r for r in records if isinstance(r, IntrusionAppProcessStart))
    assert start.sha256 == PLANTED["sha256"] and start.source.file == "export-1.zip::2024-06-01.txt"
    assert any(r.source.file == "export-1.zip::more/day2.zip::2024-06-02.txt" for r in records)
    assert "export-1.zip::more/day2.zip::2024-06-02.txt" in evidence.inputs
