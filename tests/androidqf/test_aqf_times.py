"""Device-local times (logcat, dumpsys) converted with the device time zone; year inference for logcat."""

from __future__ import annotations

from pathlib import Path

from spyscan.records.android_logs import LogcatEntry, LogcatTextEntry
from tests.androidqf.helpers import collect, detections, open_evidence, rule_hits
from tests.builders.androidqf import build_androidqf, package

PARIS = {"persist.sys.timezone": "Europe/Paris"}


def _logcat(tmp_path: Path, text: str, **kwargs: object) -> tuple[list[LogcatEntry], list[str]]:
    path = build_androidqf(tmp_path / "acq", logcat=text, **kwargs)  # type: ignore[arg-type]
    records, log = collect(open_evidence(path, tmp_path / "w"), "android.androidqf.logcat")
    return records, log.warnings  # type: ignore[return-value]


def test_logcat_local_time_converted_with_the_device_zone(tmp_path: Path) -> None:
    # March 21st 2024: Paris is UTC+1 (summer time starts March 31st)
    records, warnings = _logcat(tmp_path, "03-21 11:00:00.250  1200  1300 I Tag: hello\n", getprop=PARIS)
    assert records[0].time is not None and records[0].time.isoformat() == "2024-03-21T10:00:00.250000+00:00"
    assert records[0].time_raw == "03-21 11:00:00.250"
    assert records[0].time_zone == "Europe/Paris" and not records[0].timezone_assumed
    assert records[0].year_inferred and warnings == []


def test_logcat_summer_time_offset_applies(tmp_path: Path) -> None:
    records, _ = _logcat(tmp_path, "2023-07-01 12:00:00.000  1  2 I Tag: x\n", getprop=PARIS)
    assert records[0].time is not None and records[0].time.isoformat() == "2023-07-01T10:00:00+00:00"
    assert not records[0].year_inferred


def test_logcat_without_year_and_without_acquisition_date_has_no_time(tmp_path: Path) -> None:
    text = "03-21 11:00:00.000  1200  1300 I Tag: no year\n2024-03-20 08:00:00.000  1  2 I Tag: year\n"
    records, warnings = _logcat(tmp_path, text, acquired=None, getprop=PARIS)
    assert records[0].time is None and records[0].time_raw == "03-21 11:00:00.000"
    assert records[1].time is not None and records[1].time.isoformat() == "2024-03-20T07:00:00+00:00"
    assert any("no year and no acquisition date" in w for w in warnings)


def test_logcat_year_taken_from_acquisition_and_rolled_back_over_new_year(tmp_path: Path) -> None:
    text = "12-31 23:30:00.000  1  2 I Tag: old year\n01-02 08:00:00.000  1  2 I Tag: acquisition day\n"
    records, _ = _logcat(tmp_path, text, acquired="2024-01-02T09:00:00Z", getprop=PARIS)
    assert [r.time.isoformat() for r in records if r.time] == ["2023-12-31T22:30:00+00:00",
                                                              "2024-01-02T07:00:00+00:00"]


def test_logcat_unknown_zone_is_flagged_and_warned(tmp_path: Path) -> None:
    records, warnings = _logcat(tmp_path, "03-21 11:00:00.000  1  2 I Tag: x\n",
                                getprop={"persist.sys.timezone": ""})
    assert records[0].time is not None and records[0].time.isoformat() == "2024-03-21T11:00:00+00:00"
    assert records[0].timezone_assumed and records[0].time_zone is None
    assert any("stored as if UTC" in w for w in warnings)


def test_logcat_explicit_offset_wins_and_old_buffer_is_read(tmp_path: Path) -> None:
    path = build_androidqf(tmp_path / "acq", logcat="03-21 11:00:00.000 +0530  1  2 I Tag: x\n", getprop=PARIS)
    (path / "logcat_old.txt").write_text("--------- beginning of main\n03-20 10:00:00.000  5  6 W Old: y\n")
    records, _ = collect(open_evidence(path, tmp_path / "w"), "android.androidqf.logcat")
    assert records[0].time is not None and records[0].time.isoformat() == "2024-03-21T05:30:00+00:00"
    assert not records[0].timezone_assumed
    assert records[1].source.file == "logcat_old.txt" and records[1].tag == "Old"  # type: ignore[attr-defined]


def test_only_host_like_messages_are_matched_as_text(tmp_path: Path) -> None:
    text = ("03-21 11:00:00.000  1  2 I Net: GET https://evil.example.org/x\n"
            "03-21 11:00:00.000  1  2 I gc: freed 12KB, 5% free\n"
            "03-21 11:00:00.000  1  2 I Net: peer 203.0.113.7 refused\n"
            "03-21 11:00:00.000  1  2 I Tag: took 1.5ms\n")
    records, _ = _logcat(tmp_path, text, getprop=PARIS)
    assert [type(r) for r in records] == [LogcatTextEntry, LogcatEntry, LogcatTextEntry, LogcatTextEntry]
    assert LogcatEntry.OBSERVABLES == () and LogcatTextEntry.OBSERVABLES


def test_dumpsys_times_converted_raw_kept(tmp_path: Path) -> None:
    evidence = open_evidence(build_androidqf(tmp_path / "acq", getprop=PARIS), tmp_path / "w")
    appops, log = collect(evidence, "android.dumpsys.appops")
    wake = next(r for r in appops if r.op == "WAKE_LOCK")  # type: ignore[attr-defined]
    assert wake.last_access.isoformat() == "2024-03-20T08:00:00+00:00"  # type: ignore[attr-defined]
    assert wake.last_access_raw == "2024-03-20 09:00:00.000"  # type: ignore[attr-defined]
    assert wake.time_zone == "Europe/Paris" and not log.warnings  # type: ignore[attr-defined]
    packages, _ = collect(evidence, "android.dumpsys.packages")
    telegram = next(p for p in packages if p.package == "org.telegram.messenger")  # type: ignore[attr-defined]
    assert telegram.first_install.isoformat() == "2024-01-02T09:00:00+00:00"  # type: ignore[attr-defined]
    assert telegram.first_install_raw == "2024-01-02 10:00:00"  # type: ignore[attr-defined]


def test_dumpsys_times_without_zone_are_flagged(tmp_path: Path) -> None:
    evidence = open_evidence(build_androidqf(tmp_path / "acq", getprop={"persist.sys.timezone": "Mars/Olympus"}),
                             tmp_path / "w")
    appops, log = collect(evidence, "android.dumpsys.appops")
    wake = next(r for r in appops if r.op == "WAKE_LOCK")  # type: ignore[attr-defined]
    assert wake.last_access.isoformat() == "2024-03-20T09:00:00+00:00"  # type: ignore[attr-defined]
    assert wake.timezone_assumed  # type: ignore[attr-defined]
    assert any("'Mars/Olympus' is not a known IANA zone" in w for w in log.warnings)


SIDELOADED_DUMPSYS = """\
  Package [com.spy.app] (1a2b3c):
    userId=10300
    codePath=/data/app/com.spy.app-1
    versionCode=3 minSdk=21 targetSdk=30
    flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ]
    firstInstallTime=2024-03-01 10:00:00
    lastUpdateTime=2024-03-01 10:00:00
    installerPackageName=null
    User 0: ceDataInode=1 installed=true hidden=false suspended=false stopped=false notLaunched=false enabled=0
"""


def test_sideloaded_app_reported_once_per_acquisition(tmp_path: Path) -> None:
    spy = package("com.spy.app", installer=None)
    second_user = {**spy, "uid": 1010300}  # newer androidqf lists a package once per Android user
    evidence = open_evidence(build_androidqf(tmp_path / "acq", packages=[spy, second_user],
                                             dumpsys_packages=SIDELOADED_DUMPSYS), tmp_path / "w")
    found = []
    for artifact in ("android.androidqf.packages", "android.dumpsys.packages"):
        records, _ = collect(evidence, artifact)
        found += rule_hits(detections(artifact, records), "android.sideloaded_package")
    assert len(found) == 1 and found[0].artifact == "android.androidqf.packages"


def test_dumpsys_package_reports_sideloading_without_an_inventory(tmp_path: Path) -> None:
    path = build_androidqf(tmp_path / "acq", dumpsys_packages=SIDELOADED_DUMPSYS)
    (path / "packages.json").write_text('[{"name": "com.spy.app", "installer": "", "files": []}]')
    records, _ = collect(open_evidence(path, tmp_path / "w"), "android.dumpsys.packages")
    hits = rule_hits(detections("android.dumpsys.packages", records), "android.sideloaded_package")
    assert [h.record["package"] for h in hits] == ["com.spy.app"]
