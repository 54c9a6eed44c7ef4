"""iOS version of a sysdiagnose from logs/SystemVersion/SystemVersion.plist, with the outdated-iOS verdict."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from builders.ios_fs import open_evidence, run
from builders.sysdiagnose import SysdiagnoseBuilder
from spyscan.artifacts.ios.sysdiagnose_system_version import SysdiagnoseSystemVersion
from spyscan.errors import ArtifactNotFound
from spyscan.kinds.sysdiagnose import SysdiagnoseEvidence


def _evidence(tmp_path: Path, version: str | None) -> SysdiagnoseEvidence:
    # made on 2026-11-02 (the archive name carries the device's local time and offset)
    b = SysdiagnoseBuilder("sysdiagnose_2026.11.02_10-13-20-0700_iPhone-OS_iPhone_22H20")
    b.add_text("ps.txt", "")
    if version is not None:
        b.add_file("logs/SystemVersion/SystemVersion.plist", plistlib.dumps(
            {"ProductName": "iPhone OS", "ProductVersion": version, "ProductBuildVersion": "22B83"}))
    ev = open_evidence(SysdiagnoseEvidence, b.build(tmp_path), tmp_path)
    assert isinstance(ev, SysdiagnoseEvidence)
    return ev


def test_outdated_version_is_flagged_by_the_outdated_rule(tmp_path: Path) -> None:
    [record], detections, _ = run(SysdiagnoseSystemVersion, _evidence(tmp_path, "18.1"))
    assert (record.ios_version, record.build, record.outdated) == ("18.1", "22B83", True)
    assert record.latest_in_major == "18.7.10" and record.judged_on == "2026-11-02"
    assert record.source.file.endswith("logs/SystemVersion/SystemVersion.plist")
    assert [d.rule for d in detections] == ["ios.outdated"]


def test_latest_version_raises_nothing(tmp_path: Path) -> None:
    [record], detections, _ = run(SysdiagnoseSystemVersion, _evidence(tmp_path, "18.7.10"))
    assert record.outdated is False and detections == []


def test_judged_on_the_sysdiagnose_date_not_today(tmp_path: Path) -> None:
    """18.7.9 was the newest iOS 18 before 18.7.10 (2026-08-17): a sysdiagnose made in June 2026 on it is current."""
    b = SysdiagnoseBuilder("sysdiagnose_2026.06.01_10-13-20+0200_iPhone-OS_iPhone_22H10")
    b.add_text("ps.txt", "")
    b.add_file("logs/SystemVersion/SystemVersion.plist", plistlib.dumps({"ProductVersion": "18.7.9"}))
    ev = open_evidence(SysdiagnoseEvidence, b.build(tmp_path), tmp_path)
    [record], detections, _ = run(SysdiagnoseSystemVersion, ev)
    assert (record.outdated, record.latest_in_major, record.judged_on) == (False, "18.7.9", "2026-06-01")
    assert detections == []


def test_missing_plist_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(ArtifactNotFound):
        run(SysdiagnoseSystemVersion, _evidence(tmp_path, None))
