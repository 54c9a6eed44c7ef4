"""Lockdown Mode reaches ``run.json`` ``device.lockdown_mode`` from every iOS kind that holds
``.GlobalPreferences.plist``: backups and filesystem dumps (folder or tar)."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest
from tests.builders.ios_backup import BackupBuilder
from tests.builders.ios_fs import FsDumpBuilder

from spyscan.engine import IndicatorOptions, RunOptions, check

PREFS = "Library/Preferences/.GlobalPreferences.plist"


def _options(out: Path) -> RunOptions:
    return RunOptions(output=out, indicators=IndicatorOptions(paths=[], bundled=False), jobs=2, progress=None)


@pytest.mark.parametrize("enabled", [True, False])
def test_backup_reports_lockdown_mode(tmp_path: Path, enabled: bool) -> None:
    b = BackupBuilder(tmp_path / "b").add_system_databases()
    b.add_plist("HomeDomain", PREFS, {"AppleLocale": "es_MX", **({"LDMGlobalEnabled": True} if enabled else {})})
    result = check(b.build(), None, _options(tmp_path / "out"))
    assert result.run.device.lockdown_mode is enabled


@pytest.mark.parametrize("tar", [True, False])
def test_filesystem_dump_reports_lockdown_mode(tmp_path: Path, tar: bool) -> None:
    b = FsDumpBuilder().add_system_databases()
    b.add_file(f"private/var/mobile/{PREFS}", plistlib.dumps({"AppleLocale": "en_US"}))  # no key here
    b.add_file(f"private/var/root/{PREFS}", plistlib.dumps({"LDMGlobalEnabled": True}))
    path = b.build_tar(tmp_path / "dump.tar.gz") if tar else b.build_folder(tmp_path / "dump")
    result = check(path, None, _options(tmp_path / "out"))
    assert result.run.device.lockdown_mode is True  # on when any copy says so, whatever the order read
