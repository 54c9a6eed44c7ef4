"""Sysdiagnose kind and its artifacts on generated archives (planted and clean)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders.ios_fs import index, open_evidence, run
from builders.sysdiagnose import SysdiagnoseBuilder, ips_text, ps_text
from spyscan.artifacts.ios.sysdiagnose_crashes import CrashReports
from spyscan.artifacts.ios.sysdiagnose_mobile_installation import MobileInstallationLog
from spyscan.artifacts.ios.sysdiagnose_ps import SysdiagnoseProcessList
from spyscan.evidence.ios import IOSPath
from spyscan.kinds import detect_kind
from spyscan.kinds.sysdiagnose import SysdiagnoseEvidence, sysdiagnose_glob

INDICATORS = (("process:name", "evilagentd"), ("app:id", "com.evil.spy"), ("file:path", "/private/var/db/evilagentd"))
CLEAN_PS = [("root", 1, 0, "/sbin/launchd"), ("mobile", 300, 1, "/usr/libexec/locationd -d"),
            ("mobile", 301, 1, "/System/Library/CoreServices/SpringBoard.app/SpringBoard")]
CRASH = ips_text({"app_name": "evilagentd", "timestamp": "2023-11-14 23:13:20.00 +0100", "bug_type": "309",
                  "os_version": "iPhone OS 17.1 (21B80)", "incident_id": "11-22", "name": "evilagentd"},
                 {"procName": "evilagentd", "pid": 77, "procPath": "/private/var/db/evilagentd",
                  "bundleInfo": {"CFBundleIdentifier": "com.evil.spy"}, "parentProc": "launchd"})
JETSAM = ips_text({"bug_type": "298", "timestamp": "2023-11-15 10:00:00.00 +0000", "os_version": "iPhone OS 17.1"},
                  {"largestProcess": "MobileSafari",
                   "processes": [{"name": "MobileSafari", "pid": 3}, {"name": "evilagentd", "pid": 77}]})
LEGACY = ('{"bug_type":"109","timestamp":"2019-04-01 10:00:00.00 +0000"}\n'
          "Process:             Clean [123]\nPath:                /private/var/containers/Bundle/Application/A/"
          "Clean.app/Clean\nIdentifier:          com.example.clean\nDate/Time:           2019-04-01 10:00:00 +0000\n")
INSTALL_LOG = (
    "Tue Nov 14 22:00:01 2023 [123] <notice> (0x16b0) -[MIInstaller performInstallationWithError:]: Installing "
    "<MIInstallableBundle ID=com.evil.spy; Version=2.1, ShortVersion=2.1>\n"
    "Tue Nov 14 22:05:00 2023 [123] <notice> (0x16b0) -[MIUninstaller _uninstallBundleWithIdentity:]: "
    "Uninstalling identifier com.example.game\n"
    "Tue Nov 14 22:06:00 2023 [123] <notice> (0x16b0) unrelated line\n"
)


def _archive(tmp_path: Path, planted: bool, folder: bool = False) -> SysdiagnoseEvidence:
    b = SysdiagnoseBuilder().logarchive_noise()
    rows = [*CLEAN_PS, ("root", 77, 1, "/private/var/db/evilagentd --daemon")] if planted else CLEAN_PS
    b.add_text("ps.txt", ps_text(rows))
    b.add_text("crashes_and_spins/Clean-2019-04-01.ips", LEGACY)
    b.add_text("logs/MobileInstallation/mobile_installation.log.0",
               INSTALL_LOG if planted else INSTALL_LOG.replace("com.evil.spy", "com.example.good"))
    if planted:
        b.add_text("crashes_and_spins/evilagentd-2023-11-14.ips", CRASH)
        b.add_text("crashes_and_spins/JetsamEvent-2023-11-15.ips", JETSAM)
    path = b.build_folder(tmp_path) if folder else b.build(tmp_path)
    assert detect_kind(path) == "sysdiagnose"
    ev = open_evidence(SysdiagnoseEvidence, path, tmp_path)
    assert isinstance(ev, SysdiagnoseEvidence)
    return ev


def test_glob_mapping() -> None:
    assert sysdiagnose_glob("private/var/db/diagnostics/shutdown.log") == "**/shutdown.log"
    assert sysdiagnose_glob("private/var/db/diagnostics/shutdown.*.log") == "**/shutdown.*.log"
    assert sysdiagnose_glob("private/var/mobile/Library/Logs/CrashReporter/*.ips") == "**/CrashReporter/*.ips"


def test_logarchive_store_is_listed_but_never_found_or_extracted(tmp_path: Path) -> None:
    ev = _archive(tmp_path, planted=False)
    tracev3 = "system_logs.logarchive/Persist/0000000000000001.tracev3"
    assert any(e.path.endswith(tracev3) for e in ev.listing.all())
    assert not any(k.endswith(tracev3) for k in ev.listing.extracted)
    assert ev.ios_find(IOSPath(fs=("x/*.tracev3", "**/*.tracev3"))) == []
    assert [f.label.split("/", 1)[1] for f in ev.ios_find(IOSPath(fs=("ps.txt",)))] == ["ps.txt"]


@pytest.mark.parametrize("folder", [False, True])
def test_planted_indicators_are_found_everywhere(tmp_path: Path, folder: bool) -> None:
    ev = _archive(tmp_path, planted=True, folder=folder)
    matcher = index(*INDICATORS)
    procs, ps_hits, _ = run(SysdiagnoseProcessList, ev, matcher)
    assert {p.name for p in procs} >= {"launchd", "locationd", "SpringBoard", "evilagentd"}
    evil = next(p for p in procs if p.name == "evilagentd")
    assert (evil.pid, evil.ppid, evil.user, evil.executable) == (77, 1, "root", "/private/var/db/evilagentd")
    assert {d.observable.value for d in ps_hits if d.observable} == {"evilagentd", "/private/var/db/evilagentd"}

    reports, crash_hits, log = run(CrashReports, ev, matcher)
    by_kind = {r.report_kind: r for r in reports}
    assert set(by_kind) == {"crash", "jetsam"} and log.warnings == []
    crash = next(r for r in reports if r.process == "evilagentd")
    assert crash.time is not None and crash.time.isoformat() == "2023-11-14T22:13:20+00:00"
    assert crash.bundle_ids == ["com.evil.spy"] and crash.paths == ["/private/var/db/evilagentd"]
    assert "evilagentd" in by_kind["jetsam"].process_names
    hit_types = {(d.observable.type, d.observable.value) for d in crash_hits if d.observable}
    assert hit_types >= {("process", "evilagentd"), ("app_id", "com.evil.spy"),
                         ("file_path", "/private/var/db/evilagentd")}

    events, install_hits, _ = run(MobileInstallationLog, ev, matcher)
    assert [(e.action, e.bundle_id, e.version) for e in events] == [
        ("install", "com.evil.spy", "2.1"), ("uninstall", "com.example.game", None)]
    assert events[0].time is not None and events[0].time.hour == 22
    assert [d.observable.value for d in install_hits if d.observable] == ["com.evil.spy"]


def test_clean_archive_raises_nothing(tmp_path: Path) -> None:
    ev = _archive(tmp_path, planted=False)
    matcher = index(*INDICATORS)
    for artifact in (SysdiagnoseProcessList, CrashReports, MobileInstallationLog):
        records, detections, _ = run(artifact, ev, matcher)
        assert records, artifact.id
        assert detections == [], artifact.id
    [legacy] = run(CrashReports, ev, matcher)[0]
    assert legacy.process == "Clean" and legacy.pid == 123 and legacy.bundle_ids == ["com.example.clean"]


def test_configuration_profiles(tmp_path: Path) -> None:
    import plistlib
    from datetime import datetime

    from spyscan.artifacts.ios.sysdiagnose_profiles import ConfigurationProfileState

    profile = {"PayloadIdentifier": "com.evil.mdm", "PayloadUUID": "ABCD-1", "PayloadType": "Configuration",
               "PayloadDisplayName": "Totally Legit", "InstallDate": datetime(2023, 11, 1, 9, 0, 0)}
    b = SysdiagnoseBuilder()
    b.add_file("logs/MCState/Shared/ProfileTruth.plist", plistlib.dumps({"profiles": [profile, profile]}))
    b.add_file("logs/MCState/Shared/broken.plist", b"not a plist")
    ev = open_evidence(SysdiagnoseEvidence, b.build(tmp_path), tmp_path)
    records, detections, log = run(ConfigurationProfileState, ev, index(("configuration-profile:id", "com.evil.mdm")))
    [state] = records
    assert (state.identifier, state.uuid, state.display_name) == ("com.evil.mdm", "ABCD-1", "Totally Legit")
    assert state.installed is not None and state.installed.year == 2023
    assert detections and "broken.plist" in log.warnings[0]


def _appledouble(name: str) -> bytes:
    """An AppleDouble sidecar as macOS writes it (magic 0x00051607, version 2, "Mac OS X" filler, one
    Finder-info entry): what device-generated sysdiagnose tarballs carry next to their files."""
    header = b"\x00\x05\x16\x07\x00\x02\x00\x00" + b"Mac OS X        " + b"\x00\x01"
    entry = b"\x00\x00\x00\x09\x00\x00\x00\x32\x00\x00\x0e\xb0"
    return header + entry + b"\x00" * 32 + b"ATTR" + name.encode()


@pytest.mark.parametrize("folder", [False, True])
def test_appledouble_sidecars_are_skipped(tmp_path: Path, folder: bool) -> None:
    """iOS 15-26 sysdiagnose tarballs hold hundreds of ``._<name>`` sidecars (mvt-project/mvt PR #922): they
    are never read as the file they describe, and their number is stated."""
    from spyscan.artifacts.ios.sysdiagnose_system_version import SysdiagnoseSystemVersion

    b = SysdiagnoseBuilder().logarchive_noise()
    b.add_text("ps.txt", ps_text(CLEAN_PS))
    b.add_text("crashes_and_spins/Clean-2019-04-01.ips", LEGACY)
    b.add_text("logs/SystemVersion/SystemVersion.plist",
               '<?xml version="1.0"?><plist version="1.0"><dict><key>ProductVersion</key><string>26.0.1</string>'
               "</dict></plist>")
    for rel in ("._ps.txt", "crashes_and_spins/._Clean-2019-04-01.ips", "crashes_and_spins/._Other-2025.ips",
                "logs/SystemVersion/._SystemVersion.plist"):
        b.add_file(rel, _appledouble(rel))
    path = b.build_folder(tmp_path) if folder else b.build(tmp_path)
    ev = open_evidence(SysdiagnoseEvidence, path, tmp_path)
    records, _, log = run(CrashReports, ev)
    assert [r.source.file.rsplit("/", 1)[-1] for r in records] == ["Clean-2019-04-01.ips"] and log.warnings == []
    versions, _, log = run(SysdiagnoseSystemVersion, ev)
    assert [v.ios_version for v in versions] == ["26.0.1"] and log.warnings == []
    processes, _, _ = run(SysdiagnoseProcessList, ev)
    assert len(processes) == len(CLEAN_PS)
    assert ev.device_info().details["appledouble_skipped"] == "4"


@pytest.mark.parametrize(("top", "hour", "zone"), [
    ("sysdiagnose_2023.11.15_09-00-00-0600_iPhone-OS_iPhone_21B80", 4, "UTC-06:00"),  # 22:00 local = 04:00 UTC
    ("sysdiagnose_2023.11.15_09-00-00+0530_iPhone-OS_iPhone_21B80", 16, "UTC+05:30"),
])
def test_install_log_local_times_are_converted_with_the_archive_offset(tmp_path: Path, top: str, hour: int,
                                                                         zone: str) -> None:
    """mobile_installation.log writes local time without a zone: the sysdiagnose name's offset converts it."""
    b = SysdiagnoseBuilder(top=top).logarchive_noise()
    b.add_text("ps.txt", ps_text(CLEAN_PS))
    b.add_text("logs/MobileInstallation/mobile_installation.log.0", INSTALL_LOG)
    ev = open_evidence(SysdiagnoseEvidence, b.build(tmp_path), tmp_path)
    events, _, log = run(MobileInstallationLog, ev, index(*INDICATORS))
    assert events[0].time is not None and events[0].time.utcoffset() is not None
    assert events[0].time.hour == hour and events[0].time_zone == zone and not events[0].timezone_assumed
    assert events[0].time_raw == "Tue Nov 14 22:00:01 2023" and log.warnings == []
