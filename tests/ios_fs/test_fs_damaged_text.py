"""Damaged iOS text logs never pass silently: an empty or cut analytics journal (version history) and
an empty or cut mobile_installation.log are warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.builders.ios_fs import FsDumpBuilder, open_evidence, run

from spyscan.artifacts.ios.fs_version_history import OSVersionHistory
from spyscan.artifacts.ios.sysdiagnose_mobile_installation import MobileInstallationLog
from spyscan.kinds.ios_fs import IOSFilesystemEvidence

JOURNAL = "private/var/db/analyticsd/Analytics-Journal-2023.ips"
INSTALL = "private/var/installd/Library/Logs/MobileInstallation/mobile_installation.log.0"
VERSIONS = "\n".join(json.dumps(x) for x in [
    {"timestamp": "2023-01-01 10:00:00.00 +0000", "os_version": "iPhone OS 16.2 (20C65)"},
    {"timestamp": "2023-11-01 10:00:00.00 +0000", "os_version": "iPhone OS 17.1 (21B80)"},
]) + "\n"
INSTALLS = ("Tue Nov 14 22:00:01 2023 [123] <notice> (0x16b0) -[MIInstaller performInstallationWithError:]: "
            "Installing <MIInstallableBundle ID=com.example.app; Version=2.1, ShortVersion=2.1>\n"
            "Tue Nov 14 22:05:00 2023 [123] <notice> (0x16b0) -[MIUninstaller _uninstallBundleWithIdentity:]: "
            "Uninstalling identifier com.example.game\n")


def _warnings(tmp_path: Path, artifact: type, path: str, data: bytes) -> tuple[int, list[str]]:
    builder = FsDumpBuilder().add_file(path, data)
    builder.add_symlink("private/var/db/timezone/localtime", "/usr/share/zoneinfo/America/Mexico_City")
    dump = builder.build_folder(tmp_path / "dump")
    evidence = open_evidence(IOSFilesystemEvidence, dump, tmp_path)
    records, _, log = run(artifact, evidence)
    return len(records), log.warnings


@pytest.mark.parametrize(("artifact", "path", "good"), [
    (OSVersionHistory, JOURNAL, VERSIONS), (MobileInstallationLog, INSTALL, INSTALLS),
], ids=["version_history", "mobile_installation"])
def test_complete_file_has_no_warning(tmp_path: Path, artifact: type, path: str, good: str) -> None:
    count, warnings = _warnings(tmp_path, artifact, path, good.encode())
    assert count == 2 and warnings == []


@pytest.mark.parametrize(("artifact", "path"), [(OSVersionHistory, JOURNAL), (MobileInstallationLog, INSTALL)],
                         ids=["version_history", "mobile_installation"])
def test_empty_file_warns(tmp_path: Path, artifact: type, path: str) -> None:
    count, warnings = _warnings(tmp_path, artifact, path, b"")
    assert count == 0 and any("file is empty" in w for w in warnings)


def test_cut_journal_warns(tmp_path: Path) -> None:
    cut = VERSIONS[: VERSIONS.index("17.1")]  # the second entry cut in the middle
    count, warnings = _warnings(tmp_path, OSVersionHistory, JOURNAL, cut.encode())
    assert count == 1
    assert any("1 line(s) mentioning os_version are not valid JSON" in w for w in warnings)


def test_journal_without_versions_warns(tmp_path: Path) -> None:
    count, warnings = _warnings(tmp_path, OSVersionHistory, JOURNAL, b'{"other": 1}\n{"nothing"')
    assert count == 0 and any("no os_version entry found" in w for w in warnings)


def test_cut_install_log_warns(tmp_path: Path) -> None:
    cut = INSTALLS[: INSTALLS.index("Uninstalling") + 5]
    count, warnings = _warnings(tmp_path, MobileInstallationLog, INSTALL, cut.encode())
    assert count == 1 and any("last line may be cut" in w for w in warnings)


def test_install_log_without_events_warns(tmp_path: Path) -> None:
    count, warnings = _warnings(tmp_path, MobileInstallationLog, INSTALL, b"some unrelated line\n")
    assert count == 0 and any("no installation event found" in w for w in warnings)


def test_install_log_times_use_the_dump_zone_or_say_they_could_not(tmp_path: Path) -> None:
    """The dump's localtime link gives the zone (with daylight saving); without it the times stay local, flagged
    and warned, never silently labelled UTC."""
    zoned = FsDumpBuilder().add_file(INSTALL, INSTALLS.encode())
    zoned.add_symlink("private/var/db/timezone/localtime", "/usr/share/zoneinfo/America/Mexico_City")
    evidence = open_evidence(IOSFilesystemEvidence, zoned.build_folder(tmp_path / "zoned"), tmp_path)
    records, _, log = run(MobileInstallationLog, evidence)
    assert records[0].time is not None and records[0].time.hour == 4  # 22:00 in Mexico City (UTC-6) = 04:00 UTC
    assert records[0].time_zone == "America/Mexico_City" and log.warnings == []
    assert evidence.device_info().timezone == "America/Mexico_City"

    plain = FsDumpBuilder().add_file(INSTALL, INSTALLS.encode()).build_folder(tmp_path / "plain")
    evidence = open_evidence(IOSFilesystemEvidence, plain, tmp_path)
    records, _, log = run(MobileInstallationLog, evidence)
    assert records[0].timezone_assumed and records[0].time is not None and records[0].time.hour == 22
    assert any("device-local times stored as if UTC" in w for w in log.warnings)
