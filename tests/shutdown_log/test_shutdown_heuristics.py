"""shutdown.log artifact and its heuristics on generated filesystem dumps and sysdiagnose archives."""

from __future__ import annotations

from pathlib import Path

from builders.ios_fs import FsDumpBuilder, index, open_evidence, run, shutdown_log
from builders.sysdiagnose import SysdiagnoseBuilder
from spyscan.artifacts.ios.shutdown_log import ShutdownLog
from spyscan.detection.model import Severity
from spyscan.kinds.ios_fs import IOSFilesystemEvidence
from spyscan.kinds.sysdiagnose import SysdiagnoseEvidence
from spyscan.records.ios_shutdown import ShutdownReboot

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


def test_benign_log_raises_nothing(tmp_path: Path) -> None:
    records, detections, log = run(ShutdownLog, _fs(tmp_path, {LOG: BENIGN}),
                                   index(("process:name", "bh"), ("file:path", "/private/var/db/evil")))
    assert len(records) == 2 and detections == [] and log.warnings == []
    first = records[0]
    assert isinstance(first, ShutdownReboot)
    assert first.reboot_time is not None and first.reboot_time.year == 2023
    assert first.delays == 2 and first.waited_seconds == 0.9 and first.delayed_clients == 1


def test_client_from_private_var_db(tmp_path: Path) -> None:
    text = shutdown_log([(1_700_000_000, [(66, "/private/var/db/com.apple.xpc.roleaccountd.staging/rolexd")], [])])
    _, detections, _ = run(ShutdownLog, _fs(tmp_path, {LOG: text}))
    [finding] = detections
    assert finding.rule == "ios.shutdown_unusual_client" and finding.severity == Severity.HIGH
    assert "2023-11-14T22:13:20Z" in finding.message and "rolexd" in finding.message
    assert finding.timestamp == "2023-11-14T22:13:20Z"


def test_client_in_other_non_system_location_is_medium(tmp_path: Path) -> None:
    text = shutdown_log([(1_700_000_000, [(5, "/private/var/mobile/Library/odd/helper")], [])])
    _, detections, _ = run(ShutdownLog, _fs(tmp_path, {LOG: text}))
    assert [(d.rule, d.severity) for d in detections] == [("ios.shutdown_unusual_client", Severity.MEDIUM)]


def test_client_matching_process_indicator(tmp_path: Path) -> None:
    text = shutdown_log([(1_700_000_000, [(12, "/usr/libexec/fakeservd")], [])])
    _, detections, _ = run(ShutdownLog, _fs(tmp_path, {LOG: text}), index(("process:name", "fakeservd")))
    [hit] = detections
    assert hit.kind == "indicator" and hit.observable is not None and hit.observable.value == "fakeservd"
    assert hit.timestamp == "2023-11-14T22:13:20Z"


def test_three_delayed_clients(tmp_path: Path) -> None:
    slow = [(1, "/usr/libexec/a"), (2, "/usr/libexec/b"), (3, "/usr/sbin/c")]
    text = shutdown_log([(1_700_000_000, slow, [(1.5, slow)]), (1_700_000_100, slow, [(1.0, slow[:2])])])
    _, detections, _ = run(ShutdownLog, _fs(tmp_path, {LOG: text}))
    [finding] = detections  # the second reboot has only two delayed clients
    assert finding.rule == "ios.shutdown_delayed_clients"
    assert "2023-11-14T22:13:20Z" in finding.message and "a (pid 1), b (pid 2), c (pid 3)" in finding.message


def test_rotated_logs_read_oldest_first_and_deduplicated(tmp_path: Path) -> None:
    old = shutdown_log([(1_600_000_000, [(1, "/usr/libexec/a")], [])])
    new = shutdown_log([(1_700_000_000, [(2, "/usr/libexec/b")], [])])
    files = {"private/var/db/diagnostics/shutdown.1.log": old, "private/var/db/diagnostics/shutdown.0.log": old + new,
             LOG: new}
    records, _, _ = run(ShutdownLog, _fs(tmp_path, files))
    assert [r.reboot_time_raw for r in records] == ["1600000000", "1700000000"]
    assert records[0].source.file.endswith("shutdown.1.log")


def test_sysdiagnose_copy(tmp_path: Path) -> None:
    text = shutdown_log([(1_700_000_000, [(66, "/private/var/tmp/zz")], [])])
    b = SysdiagnoseBuilder().add_text("system_logs.logarchive/Extra/shutdown.log", text).logarchive_noise()
    ev = open_evidence(SysdiagnoseEvidence, b.build(tmp_path), tmp_path)
    records, detections, _ = run(ShutdownLog, ev)
    assert len(records) == 1 and records[0].source.file.endswith("system_logs.logarchive/Extra/shutdown.log")
    assert [d.rule for d in detections] == ["ios.shutdown_unusual_client"]
