"""iOS version of a sysdiagnose from logs/SystemVersion/SystemVersion.plist, with the outdated-iOS verdict."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from builders.ios_fs import open_evidence, run
from builders.sysdiagnose import SysdiagnoseBuilder
from spyscan.artifacts.ios._ios_versions import version_table
from spyscan.artifacts.ios.sysdiagnose_system_version import SysdiagnoseSystemVersion
from spyscan.errors import ArtifactNotFound
from spyscan.kinds.sysdiagnose import SysdiagnoseEvidence


def _evidence(tmp_path: Path, version: str | None) -> SysdiagnoseEvidence:
    b = SysdiagnoseBuilder()
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
    assert record.latest_in_major == version_table()["majors"]["18"]["latest"]
    assert record.source.file.endswith("logs/SystemVersion/SystemVersion.plist")
    assert [d.rule for d in detections] == ["ios.outdated"]


def test_latest_version_raises_nothing(tmp_path: Path) -> None:
    latest = version_table()["majors"]["18"]["latest"]
    [record], detections, _ = run(SysdiagnoseSystemVersion, _evidence(tmp_path, latest))
    assert record.outdated is False and detections == []


def test_missing_plist_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(ArtifactNotFound):
        run(SysdiagnoseSystemVersion, _evidence(tmp_path, None))
