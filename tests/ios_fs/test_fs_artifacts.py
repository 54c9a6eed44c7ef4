"""File listing and network-process artifacts (with the process-without-binary heuristic)."""

from __future__ import annotations

import plistlib
from pathlib import Path

from builders.ios_fs import FsDumpBuilder, index, netusage_rows, open_evidence, run
from spyscan.artifacts.ios.fs_file_listing import FilesystemListing
from spyscan.artifacts.ios.fs_netusage import NetworkUsageProcesses
from spyscan.kinds.ios_fs import IOSFilesystemEvidence
from spyscan.records.ios_fs import FsFileEntry, NetworkProcess

STAGING = "private/var/db/com.apple.xpc.roleaccountd.staging"


def _open(tmp_path: Path, b: FsDumpBuilder, tar: bool = False) -> IOSFilesystemEvidence:
    path = b.build_tar(tmp_path / "d.tar.gz") if tar else b.build_folder(tmp_path / "dump")
    ev = open_evidence(IOSFilesystemEvidence, path, tmp_path)
    assert isinstance(ev, IOSFilesystemEvidence)
    return ev


def test_listing_records_and_process_candidates(tmp_path: Path) -> None:
    b = FsDumpBuilder().system_volume()
    b.add_file(f"{STAGING}/bh", b"\xcf\xfa", mode=0o644)  # staging folder: a candidate whatever its mode
    b.add_file("private/var/mobile/Library/bh", b"data")  # same name, plain data file: not a candidate
    b.add_file("private/var/tmp/run.sh", b"#!/bin/sh", mode=0o755)
    b.add_file("private/var/mobile/Library/x.plist", b"<plist/>", mode=0o755)  # data extension
    b.add_file("private/var/containers/Bundle/Application/A/Foo.app/Foo", b"\xcf\xfa", mode=0o644)
    records, _, _ = run(FilesystemListing, _open(tmp_path, b))
    entries = {r.path: r for r in records if isinstance(r, FsFileEntry)}
    assert entries[f"/{STAGING}/bh"].process_names == ["bh"]
    assert entries["/private/var/mobile/Library/bh"].process_names == []
    assert entries["/private/var/tmp/run.sh"].process_names == ["run.sh"]
    assert entries["/private/var/mobile/Library/x.plist"].process_names == []
    assert entries["/private/var/containers/Bundle/Application/A/Foo.app/Foo"].process_names == ["Foo"]
    assert entries["/usr/libexec/locationd"].process_names == ["locationd"]
    assert entries["/private/var/mobile"].type == "dir" and entries["/private/var/mobile"].process_names == []
    assert entries["/usr/libexec/locationd"].modified is not None


def test_listing_indicator_matches(tmp_path: Path) -> None:
    b = FsDumpBuilder().add_file(f"{STAGING}/roleaboutd", b"x", mode=0o755)
    b.add_file("private/var/mobile/Library/clean.txt", b"x")
    matcher = index(("process:name", "roleaboutd"), ("file:path", f"/{STAGING}"), ("file:name", "clean2.txt"))
    _, detections, _ = run(FilesystemListing, _open(tmp_path, b, tar=True), matcher)
    values = {(d.observable.type, d.observable.value) for d in detections if d.observable}
    assert ("process", "roleaboutd") in values
    assert ("file_path", f"/{STAGING}/roleaboutd") in values and ("file_path", f"/{STAGING}") in values
    assert not any("clean" in v for _, v in values)


def _netusage_dump(processes: list[tuple[str, str | None]], system: bool = True) -> FsDumpBuilder:
    b = FsDumpBuilder().system_volume() if system else FsDumpBuilder()
    b.add_sqlite("private/var/networkd/netusage.sqlite", netusage_rows(processes))
    return b


def test_process_without_binary(tmp_path: Path) -> None:
    b = _netusage_dump([
        ("locationd/com.apple.locationd", "com.apple.locationd"),  # bundle id after the slash: not checked
        ("1FB47783-A2FE-47D9-B256-DF50EF44BBA4/com.apple.Translate", "com.apple.Translate"),  # no process name
        ("terminusd/geod", None),  # relayed for a paired device: the part after the slash is kept as delegate
        ("com.apple.mobileassetd", None),  # a launchd label, not a file name: not looked up
        ("mDNSResponder", None),  # binary exists
        ("ghostagentd", None),  # binary nowhere: flagged
        ("Safari", "com.apple.mobilesafari"),  # bundle id: not checked
        ("identityservices", None),  # 16 characters, truncated: matches identityservicesd
        ("kernel_task", None),
    ])
    records, detections, log = run(NetworkUsageProcesses, _open(tmp_path, b, tar=True))
    found = {r.process: r for r in records if isinstance(r, NetworkProcess)}
    assert found["locationd"].bundle_id == "com.apple.locationd" and found["locationd"].binary_found is None
    assert found[None].bundle_id == "com.apple.Translate" and found[None].procname.startswith("1FB47783-")
    assert (found["terminusd"].delegate, found["terminusd"].bundle_id) == ("geod", None)
    assert found["com.apple.mobileassetd"].binary_found is None
    assert found["mDNSResponder"].binary_found is True
    assert found["identityservices"].binary_found is True and found["identityservices"].truncated
    assert found["ghostagentd"].binary_found is False
    assert found["ghostagentd"].first_seen is not None and found["ghostagentd"].first_seen.year == 2023
    assert found["kernel_task"].binary_found is None
    [finding] = detections
    assert finding.rule == "ios.process_without_binary" and "ghostagentd" in finding.message
    assert log.warnings == []


def test_process_check_skipped_without_system_volume(tmp_path: Path) -> None:
    b = _netusage_dump([("ghostagentd", None)], system=False)
    records, detections, log = run(NetworkUsageProcesses, _open(tmp_path, b))
    assert [r.binary_found for r in records if isinstance(r, NetworkProcess)] == [None]
    assert detections == [] and "no system volume" in log.warnings[0]


def test_dump_version_judged_on_its_newest_file_time(tmp_path: Path) -> None:
    """A bare dump records no acquisition date: the newest file time (the acquisition was made no earlier)
    is the date the iOS version is judged on, never today."""
    from spyscan.artifacts.ios.backup_info import IOSBackupInfo

    plist = plistlib.dumps({"ProductVersion": "18.6.2"})
    for mtime, outdated in ((1_780_000_000, True), (1_740_000_000, False)):  # 2026-05-28, 2025-02-19
        b = FsDumpBuilder().add_file("System/Library/CoreServices/SystemVersion.plist", plist, mtime=mtime)
        ev = _open(tmp_path / str(mtime), b)
        [info], _, _ = run(IOSBackupInfo, ev)
        assert info.outdated is outdated and info.judged_from == "newest file time in the dump"
