"""A bugreport's process list, settings, mounts, device admins and tombstone twins, in their real shapes.

Shapes: ``PROCESSES AND THREADS`` as AOSP dumpstate runs it (``ps -A -T -Z -O pri,nice,rtprio,sched,pcy,time``,
toybox columns), ``dumpsys settings`` as SettingsProvider ``dumpForUserLocked`` prints it, ``FS/proc/<pid>/
mountinfo`` as the kernel writes it (two option layers), ``dumpsys device_policy`` as DevicePolicyData
``dump`` prints it.
"""

from __future__ import annotations

from pathlib import Path

from tests.core.stix_helpers import write_bundle

from builders.bugreport import DEFAULT_PROPERTIES, DUMPSTATE, dumpstate, text_tombstone, write_bugreport_zip
from spyscan.artifacts.android.bugreport_mounts import BugreportMounts
from spyscan.artifacts.android.bugreport_processes import BugreportProcesses
from spyscan.artifacts.android.bugreport_tombstones import BugreportTombstones
from spyscan.artifacts.android.dumpsys_device_admins import DumpsysDeviceAdmins
from spyscan.artifacts.android.dumpsys_settings import DumpsysSettings
from spyscan.artifacts.android.ps_text import full_app_name
from spyscan.artifacts.base import ArtifactLog
from spyscan.detection.heuristics.base import all_rules
from spyscan.detection.pipeline import NullMatcher, RecordPipeline
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.kinds.bugreport import BugreportEvidence
from spyscan.records.android_mounts import AndroidMount
from spyscan.records.android_processes import AndroidProcess
from spyscan.records.base import Record

SHAPES = Path(__file__).parent / "shapes"
# AOSP dumpstate: ps -A -T -Z -O pri,nice,rtprio,sched,pcy,time (toybox columns, one row per thread)
PS = (SHAPES / "ps_threads.txt").read_text()

PACKAGES = """\
  Package [com.example.spyware] (5d6e7f8):
    userId=10139
    codePath=/data/app/~~a==/com.example.spyware-b==
    pkgFlags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ]
    installerPackageName=null
  Package [com.whatsapp] (1a2b3c4):
    userId=10012
    pkgFlags=[ HAS_CODE ]
    installerPackageName=com.android.vending
"""

SETTINGS = """\
GLOBAL SETTINGS (user 0)
_id:12 name:adb_enabled pkg:android value:1 default:0 defaultSystemSet:true
_id:40 name:package_verifier_enable pkg:com.android.vending value:0
_id:41 name:verifier_verify_adb_installs pkg:android value:1 default:1 defaultSystemSet:true

Historical operations
  Update  name:package_verifier_enable value:0 pkg:com.android.vending
SECURE SETTINGS (user 0)
_id:240 name:accessibility_enabled pkg:android value:0 default:0 defaultSystemSet:true
_id:241 name:install_non_market_apps pkg:android value:1 tag:null
_id:242 name:enabled_accessibility_services pkg:com.android.settings value:null

SYSTEM SETTINGS (user 0)
_id:5 name:screen_brightness pkg:android value:102 default:102 defaultSystemSet:true
SECURE SETTINGS (user 10)
_id:311 name:accessibility_enabled pkg:android value:1 tag:null
"""

DEVICE_POLICY = """\
Current Device Policy Manager state:
  Immutable state:
    mHasFeature=true

  Enabled Device Admins (User 0, provisioningState: 3):
    com.google.android.gms/.mdm.receivers.MdmDeviceAdminReceiver:
      uid=10150
      testOnlyAdmin=false
      policies:
        wipe-data
        force-lock
    com.example.spyware/.AdminReceiver:
      uid=10139
      policies:
        force-lock
  mPasswordOwner=-1
"""

# /proc/<pid>/mountinfo: id parent major:minor root mountpoint options [optional] - fstype source superblock
MOUNTINFO = (SHAPES / "mountinfo.txt").read_text()


def _bugreport(tmp_path: Path, **extra: bytes) -> Path:
    properties = {**DEFAULT_PROPERTIES, "ro.build.version.sdk": "34"}
    text = dumpstate(properties, processes=PS, package=PACKAGES,
                     services={"settings": SETTINGS, "device_policy": DEVICE_POLICY})
    files = {"main_entry.txt": DUMPSTATE.encode(), DUMPSTATE: text.encode(),
             "FS/proc/1/mountinfo": MOUNTINFO.encode(), **extra}
    return write_bugreport_zip(tmp_path / "bugreport.zip", files)


def _open(path: Path, tmp_path: Path) -> BugreportEvidence:
    evidence = BugreportEvidence(path, tmp_path / "work")
    evidence.open()
    return evidence


def _rules(artifact_id: str, records: list[Record]) -> list[str]:
    pipeline = RecordPipeline(artifact_id, NullMatcher(), list(all_rules().values()))
    for record in records:
        pipeline.feed(record)
    return sorted(f"{d.severity.value}:{d.rule}:{d.message}" for d in pipeline.finish())


def test_process_list_one_record_per_process_with_full_app_names(tmp_path: Path) -> None:
    log = ArtifactLog()
    records = list(BugreportProcesses().collect(_open(_bugreport(tmp_path), tmp_path), log))
    assert not log.warnings
    by_pid = {r.pid: r for r in records if isinstance(r, AndroidProcess)}
    assert sorted(by_pid) == [1, 2, 1486, 12345, 12400, 13000]
    assert by_pid[1486].name == "system_server" and by_pid[1486].threads == ["binder:1486_11"]
    # an app's main thread shows the last 15 characters of its name; the package list gives the full name
    assert by_pid[12345].name == "com.example.spyware" and by_pid[12345].kernel_name == "example.spyware"
    assert by_pid[12345].threads == ["Signal Catcher"] and by_pid[12345].label.startswith("u:r:untrusted_app")
    assert by_pid[12400].name == "com.example.spyware:remote"
    assert by_pid[13000].name == "com.whatsapp" and by_pid[13000].kernel_name is None
    assert by_pid[1486].source.line and by_pid[1486].source.key == "PROCESSES AND THREADS"


def test_an_app_process_tail_without_a_dot_is_completed_from_the_package_list() -> None:
    """AndroidRuntime::setArgv0 keeps a process name's last 15 characters, dotted or not: the app's second process
    ``com.ttsapp.catchcheating:remote`` shows as ``cheating:remote`` and its main one as ``p.catchcheating``; a
    long last label leaves no dot either."""
    packages = ["com.ttsapp.catchcheating", "com.whatsapp", "org.example.averyverylongappname"]
    assert full_app_name("cheating:remote", packages) == "com.ttsapp.catchcheating:remote"
    assert full_app_name("p.catchcheating", packages) == "com.ttsapp.catchcheating"
    assert full_app_name("veryverylongapp", packages) is None  # not a tail of any package
    assert full_app_name("erylongappname", packages) is None  # 14 characters: never a cut name
    assert full_app_name("verylongappname", packages) == "org.example.averyverylongappname"
    assert full_app_name("cheating:remote", [*packages, "com.other.cheating"]) is None  # two candidates


def test_process_list_is_matched_against_indicators(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "test.stix2", "TestSpy", ["[process:name = 'com.example.spyware']",
                                                              "[process:name = 'Signal Catcher']"])
    options = RunOptions(output=tmp_path / "out", indicators=IndicatorOptions(paths=[bundle], bundled=False), jobs=1)
    result = check(_bugreport(tmp_path), "bugreport", options)
    hits = {(d.artifact, d.observable.value) for d in result.detections if d.kind == "indicator" and d.observable}
    assert ("android.bugreport.processes", "com.example.spyware") in hits
    assert ("android.bugreport.processes", "Signal Catcher") in hits  # a thread name
    assert result.run.artifacts["android.bugreport.processes"].status == "ok"


def test_settings_from_dumpsys_settings_are_judged_like_androidqf_ones(tmp_path: Path) -> None:
    records = list(DumpsysSettings().collect(_open(_bugreport(tmp_path), tmp_path), ArtifactLog()))
    pairs = {(r.namespace, r.name, r.user): r.value for r in records}  # type: ignore[attr-defined]
    assert pairs[("global", "package_verifier_enable", 0)] == "0"
    assert pairs[("secure", "accessibility_enabled", 10)] == "1"
    assert pairs[("system", "screen_brightness", 0)] == "102"
    assert len(records) == 8  # the historical operations are not settings
    assert all(r.sdk == 34 for r in records)  # type: ignore[attr-defined]
    assert _rules(DumpsysSettings.id, records) == [
        "info:android.risky_setting:an accessibility service is on (see which one below) "
        "(accessibility_enabled=1, user 10)",
        "medium:android.risky_setting:Play Protect app verification is off (package_verifier_enable=0, user 0)"]


def test_mountinfo_needs_both_option_layers_to_be_writable(tmp_path: Path) -> None:
    log = ArtifactLog()
    records = [r for r in BugreportMounts().collect(_open(_bugreport(tmp_path), tmp_path), log)
               if isinstance(r, AndroidMount)]
    assert not log.warnings
    mounts = {r.mount_point: r for r in records}
    # Xiaomi mi_ext overlay: read-only mount of a writable overlay (mvt-project/mvt#936)
    assert mounts["/product/usr"].options[0] == "ro" and "rw" in mounts["/product/usr"].superblock_options
    assert not mounts["/product/usr"].read_write and mounts["/data"].read_write
    assert _rules(BugreportMounts.id, records) == [
        "high:android.system_mount_rw:/system_ext (/dev/block/dm-1, ext4) is mounted read-write"]


def test_device_admins(tmp_path: Path) -> None:
    records = list(DumpsysDeviceAdmins().collect(_open(_bugreport(tmp_path), tmp_path), ArtifactLog()))
    assert [(r.package, r.role, r.user) for r in records] == [  # type: ignore[attr-defined]
        ("com.google.android.gms", "admin", 0), ("com.example.spyware", "admin", 0)]
    assert _rules(DumpsysDeviceAdmins.id, records) == [
        "low:android.device_admin:com.example.spyware is a device administrator "
        "(com.example.spyware/.AdminReceiver)"]


def test_tombstone_twins_count_once_and_an_empty_protobuf_twin_is_normal(tmp_path: Path) -> None:
    text = text_tombstone(process="/vendor/bin/tzts_daemon", pid=3559, uid=1000).encode()
    path = _bugreport(tmp_path, **{"FS/data/tombstones/tombstone_03": text, "FS/data/tombstones/tombstone_03.pb": b"",
                                   "FS/data/tombstones/tombstone_04.pb": b"\x08\x99"})
    log = ArtifactLog()
    records = list(BugreportTombstones().collect(_open(path, tmp_path), log))
    assert [r.source.file.rsplit("/", 1)[-1] for r in records] == ["tombstone_03"]
    assert log.warnings == ["FS/data/tombstones/tombstone_04.pb: not a readable protobuf tombstone "
                            "(truncated varint)"]


def test_tombstone_thread_name_is_matched_as_a_process(tmp_path: Path) -> None:
    text = text_tombstone(process="/system/bin/adbd", pid=9850, uid=2000).encode()
    bundle = write_bundle(tmp_path / "t.stix2", "TestSpy", ["[process:name = 'Binder:9850_2']"])
    options = RunOptions(output=tmp_path / "out", indicators=IndicatorOptions(paths=[bundle], bundled=False), jobs=1)
    result = check(_bugreport(tmp_path, **{"FS/data/tombstones/tombstone_00": text}), "bugreport", options)
    hits = [d for d in result.detections if d.kind == "indicator"]
    assert [(d.artifact, d.observable.value) for d in hits if d.observable] == [
        ("android.bugreport.tombstones", "Binder:9850_2")]
    crash = [d for d in result.detections if d.rule == "android.tombstone_privileged_crash"]
    assert [(d.severity.value, d.category) for d in crash] == [("low", "context")]
