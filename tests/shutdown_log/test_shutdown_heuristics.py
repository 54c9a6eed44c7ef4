"""shutdown.log artifact and its heuristics on generated filesystem dumps and sysdiagnose archives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from builders.ios_fs import FsDumpBuilder, index, open_evidence, run, shutdown_log
from builders.sysdiagnose import SysdiagnoseBuilder
from spyscan.artifacts.ios.shutdown_log import ShutdownLog
from spyscan.detection.model import Severity
from spyscan.kinds.ios_fs import IOSFilesystemEvidence
from spyscan.kinds.sysdiagnose import SysdiagnoseEvidence
from spyscan.records.ios_shutdown import ShutdownLogCoverage, ShutdownReboot

LOG = "private/var/db/diagnostics/shutdown.log"
BENIGN = shutdown_log([
    (1_700_000_000, [(40, "/usr/libexec/locationd"), (41, "/System/Library/PrivateFrameworks/X.framework/xd")],
     [(0.3, [(40, "/usr/libexec/locationd")]), (0.9, [(40, "/usr/libexec/locationd")])]),
    (1_700_500_000, [(70, "/private/var/containers/Bundle/Application/AB-CD/Some.app/Some"),
                     (71, "/private/preboot/Cryptexes/App/System/Library/CoreServices/Safari.app/Safari")],
     [(0.2, [(70, "/private/var/containers/Bundle/Application/AB-CD/Some.app/Some")])]),
])


def _fs(tmp_path: Path, files: dict[str, str]) -> IOSFilesystemEvidence:
    b = FsDumpBuilder()
    for rel, text in files.items():
        b.add_text(rel, text)
    ev = open_evidence(IOSFilesystemEvidence, b.build_folder(tmp_path / "dump"), tmp_path)
    assert isinstance(ev, IOSFilesystemEvidence)
    return ev


def _reboots(records: list[object]) -> list[ShutdownReboot]:
    return [r for r in records if isinstance(r, ShutdownReboot)]


def _above_info(detections: list[Any]) -> list[Any]:
    return [d for d in detections if d.rule != "ios.shutdown_log_coverage"]


def test_benign_log_raises_nothing(tmp_path: Path) -> None:
    records, detections, log = run(ShutdownLog, _fs(tmp_path, {LOG: BENIGN}),
                                   index(("process:name", "bh"), ("file:path", "/private/var/db/evil")))
    assert len(_reboots(records)) == 2 and _above_info(detections) == [] and log.warnings == []
    first = records[0]
    assert isinstance(first, ShutdownReboot)
    assert first.reboot_time is not None and first.reboot_time.year == 2023
    assert first.delays == 2 and first.waited_seconds == 0.9 and first.delayed_clients == 1


def test_client_from_private_var_db(tmp_path: Path) -> None:
    text = shutdown_log([(1_700_000_000, [(66, "/private/var/db/com.apple.xpc.roleaccountd.staging/rolexd")], [])])
    _, detections, _ = run(ShutdownLog, _fs(tmp_path, {LOG: text}))
    [finding] = _above_info(detections)
    assert finding.rule == "ios.shutdown_unusual_client" and finding.severity == Severity.HIGH
    assert "2023-11-14T22:13:20Z" in finding.message and "rolexd" in finding.message
    assert finding.timestamp == "2023-11-14T22:13:20Z"


def test_client_in_other_non_system_location_is_medium(tmp_path: Path) -> None:
    text = shutdown_log([(1_700_000_000, [(5, "/private/var/mobile/Library/odd/helper")], [])])
    _, detections, _ = run(ShutdownLog, _fs(tmp_path, {LOG: text}))
    assert [(d.rule, d.severity) for d in _above_info(detections)] == [("ios.shutdown_unusual_client",
                                                                        Severity.MEDIUM)]


def test_client_matching_process_indicator(tmp_path: Path) -> None:
    text = shutdown_log([(1_700_000_000, [(12, "/usr/libexec/fakeservd")], [])])
    _, detections, _ = run(ShutdownLog, _fs(tmp_path, {LOG: text}), index(("process:name", "fakeservd")))
    [hit] = _above_info(detections)
    assert hit.kind == "indicator" and hit.observable is not None and hit.observable.value == "fakeservd"
    assert hit.timestamp == "2023-11-14T22:13:20Z"


def test_three_slow_clients_in_one_notice_raise_nothing(tmp_path: Path) -> None:
    """A benign reboot: three slow processes listed under one "still here" notice is one wait (iShutdown
    counts notices before each SIGTERM, not processes)."""
    slow = [(1, "/usr/libexec/a"), (2, "/usr/libexec/b"), (3, "/usr/sbin/c")]
    text = shutdown_log([(1_700_000_000, slow, [(1.5, slow)]), (1_700_000_100, slow, [(1.0, slow[:2])])])
    _, detections, _ = run(ShutdownLog, _fs(tmp_path, {LOG: text}))
    assert _above_info(detections) == []


def test_three_notices_are_low_context_with_processes_and_time(tmp_path: Path) -> None:
    slow = [(1, "/usr/libexec/a")]
    text = shutdown_log([(1_700_000_000, slow, [(0.5, slow), (1.0, slow), (2.5, slow)]),
                         (1_700_000_100, slow, [(0.5, slow), (1.0, slow)])])
    _, detections, _ = run(ShutdownLog, _fs(tmp_path, {LOG: text}))
    [finding] = _above_info(detections)  # the second reboot has only two notices
    assert finding.rule == "ios.shutdown_delayed_clients"
    assert finding.severity == Severity.LOW and finding.category == "context"
    assert "2023-11-14T22:13:20Z" in finding.message and "3 times" in finding.message
    assert "a (pid 1, 3 notice(s))" in finding.message


def test_ios26_uuid_tail_stripped_before_path_rules(tmp_path: Path) -> None:
    uuid = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
    text = shutdown_log([(1_760_000_000, [(9, f"/usr/sbin/filecoordinationd/{uuid}"),
                                          (10, f"/private/var/db/com.apple.xpc.roleaccountd.staging/rolexd/{uuid}")],
                          [])])
    records, detections, _ = run(ShutdownLog, _fs(tmp_path, {LOG: text}),
                                 index(("process:name", "rolexd")))
    [reboot] = _reboots(records)
    paths = {c.path: c for c in reboot.clients}
    assert "/usr/sbin/filecoordinationd" in paths and paths["/usr/sbin/filecoordinationd"].name == "filecoordinationd"
    assert paths["/usr/sbin/filecoordinationd"].raw_path == f"/usr/sbin/filecoordinationd/{uuid}"
    rules = sorted((d.rule or d.kind, d.severity) for d in _above_info(detections))
    # the system daemon is not "outside the system locations"; the staging client is HIGH and its name matches
    assert rules == [("indicator", Severity.HIGH), ("ios.shutdown_unusual_client", Severity.HIGH)]
    unusual = next(d for d in detections if d.rule == "ios.shutdown_unusual_client")
    assert "/private/var/db/com.apple.xpc.roleaccountd.staging/rolexd" in unusual.message


def test_coverage_always_stated(tmp_path: Path) -> None:
    records, detections, _ = run(ShutdownLog, _fs(tmp_path, {LOG: BENIGN}))
    [coverage] = [r for r in records if isinstance(r, ShutdownLogCoverage)]
    assert coverage.reboots == 2 and coverage.first_reboot_raw == "1700000000"
    assert coverage.last_reboot_raw == "1700500000" and coverage.log_files == [LOG]
    [note] = [d for d in detections if d.rule == "ios.shutdown_log_coverage"]
    assert note.severity == Severity.INFO and note.category == "context"
    assert "2 reboot(s): the first at 2023-11-14T22:13:20Z, the last at 2023-11-20T17:06:40Z" in note.message


def _version(major: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>ProductVersion</key>'
            f"<string>{major}</string></dict></plist>")


def test_empty_log_is_low_context_before_ios26_only(tmp_path: Path) -> None:
    empty = "Shutdown log\n"
    plist = "System/Library/CoreServices/SystemVersion.plist"
    _, before, _ = run(ShutdownLog, _fs(tmp_path / "a", {LOG: empty, plist: _version("17.5.1")}))
    assert [(d.rule, d.severity) for d in _above_info(before)] == [("ios.shutdown_log_empty", Severity.LOW)]
    _, after, _ = run(ShutdownLog, _fs(tmp_path / "b", {LOG: empty, plist: _version("26.1")}))
    assert _above_info(after) == []
    [note] = after
    assert "no complete reboot" in note.message and "rewrites this log at each boot" in note.message
    _, unknown, _ = run(ShutdownLog, _fs(tmp_path / "c", {LOG: empty}))
    assert _above_info(unknown) == []


def test_rotated_logs_read_oldest_first_and_deduplicated(tmp_path: Path) -> None:
    old = shutdown_log([(1_600_000_000, [(1, "/usr/libexec/a")], [])])
    new = shutdown_log([(1_700_000_000, [(2, "/usr/libexec/b")], [])])
    files = {"private/var/db/diagnostics/shutdown.1.log": old, "private/var/db/diagnostics/shutdown.0.log": old + new,
             LOG: new}
    records, _, _ = run(ShutdownLog, _fs(tmp_path, files))
    assert [r.reboot_time_raw for r in _reboots(records)] == ["1600000000", "1700000000"]
    assert records[0].source.file.endswith("shutdown.1.log")


def test_sysdiagnose_copy(tmp_path: Path) -> None:
    text = shutdown_log([(1_700_000_000, [(66, "/private/var/tmp/zz")], [])])
    b = SysdiagnoseBuilder().add_text("system_logs.logarchive/Extra/shutdown.log", text).logarchive_noise()
    ev = open_evidence(SysdiagnoseEvidence, b.build(tmp_path), tmp_path)
    records, detections, _ = run(ShutdownLog, ev)
    assert len(_reboots(records)) == 1
    assert records[0].source.file.endswith("system_logs.logarchive/Extra/shutdown.log")
    assert [d.rule for d in _above_info(detections)] == ["ios.shutdown_unusual_client"]


def test_sysdiagnose_ios26_rotation_name_and_version(tmp_path: Path) -> None:
    text = shutdown_log([(1_760_000_000, [(4, "/usr/libexec/a")], [])])
    b = (SysdiagnoseBuilder().add_text("system_logs.logarchive/Extra/shutdown.0.log", text)
         .add_text("logs/SystemVersion/SystemVersion.plist", _version("26.0.1")).logarchive_noise())
    ev = open_evidence(SysdiagnoseEvidence, b.build(tmp_path), tmp_path)
    records, _, _ = run(ShutdownLog, ev)
    coverage = records[-1]
    assert isinstance(coverage, ShutdownLogCoverage)
    assert coverage.reboots == 1 and coverage.ios_version == "26.0.1" and coverage.rewritten_at_boot is True
