"""End to end: ``spyscan.engine.check`` on generated backups with a planted public indicator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spyscan import engine
from spyscan.artifacts.ios.configuration_profiles import DOMAIN as PROFILES_DOMAIN
from spyscan.errors import EvidenceError
from spyscan.evidence.secrets import Secrets
from tests.builders.ios_backup import BackupBuilder

PREDATOR_PROFILE_UUID = "76DAB334-7E17-475D-A5D6-0794EB5818A5"  # public Predator/Cytrox indicator
PASSWORD = "pw-for-the-e2e-test"


def _backup(root: Path, planted: bool) -> BackupBuilder:
    b = BackupBuilder(root, product_version="27.2")  # current in the bundled table: no outdated finding
    b.add_system_databases()
    b.add_app("com.example.store", itunes_metadata={"sourceApp": "com.apple.AppStore", "itemId": 1})
    b.add_file("HomeDomain", "Library/Preferences/com.example.plist", b"x")
    uuid = PREDATOR_PROFILE_UUID if planted else "0F0F0F0F-1111-2222-3333-444444444444"
    b.add_plist(PROFILES_DOMAIN, "Library/ConfigurationProfiles/profile-0123.stub", {
        "PayloadIdentifier": "com.example.wifi", "PayloadUUID": uuid, "PayloadType": "Configuration",
        "PayloadContent": [{"PayloadType": "com.apple.wifi.managed", "PayloadUUID": "1-2-3"}]})
    return b


def _run(backup: Path, out: Path, iocs: Path, secrets: Secrets, jobs: int) -> engine.RunResult:
    options = engine.RunOptions(output=out, indicators=engine.IndicatorOptions(paths=[iocs], bundled=False),
                                jobs=jobs, secrets=secrets, progress=None)
    return engine.check(backup, None, options)


def test_planted_profile_uuid_is_the_only_detection_encrypted(tmp_path: Path, public_iocs: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    iocs = public_iocs / "mvt-project__mvt-indicators" / "intellexa_predator" / "predator.stix2"
    if not iocs.is_file():
        pytest.skip(f"{iocs} not present")
    backup = _backup(tmp_path / "Backup" / "device", planted=True).build(password=PASSWORD)
    monkeypatch.setenv("E2E_PW", PASSWORD)
    result = _run(tmp_path / "Backup", tmp_path / "out", iocs, Secrets(password_env="E2E_PW"), jobs=2)
    [detection] = result.detections
    assert detection.kind == "indicator" and detection.artifact == "ios.configuration_profiles"
    assert detection.indicator.value.upper() == PREDATOR_PROFILE_UUID
    assert result.exit_code == 3
    run_text = (tmp_path / "out" / "run.json").read_text()
    assert PASSWORD not in run_text
    run = json.loads(run_text)
    assert run["kind"] == "ios-backup" and run["device"]["encrypted"] is True
    statuses = {k: v["status"] for k, v in run["artifacts"].items()}
    assert statuses["ios.configuration_profiles"] == "ok" and statuses["ios.backup_manifest"] == "ok"
    assert statuses["ios.installed_apps"] == "ok" and statuses["ios.backup_info"] == "ok"
    assert (tmp_path / "out" / "records" / "ios.backup_manifest.jsonl").is_file()
    assert backup.is_dir() and not list(backup.rglob("*.tmp"))


def test_clean_backup_gives_no_detection(tmp_path: Path, public_iocs: Path) -> None:
    iocs = public_iocs / "mvt-project__mvt-indicators" / "intellexa_predator" / "predator.stix2"
    if not iocs.is_file():
        pytest.skip(f"{iocs} not present")
    backup = _backup(tmp_path / "backup", planted=False).build()
    result = _run(backup, tmp_path / "out", iocs, Secrets(interactive=False), jobs=1)
    assert result.detections == []
    assert result.exit_code == 0


def test_wrong_password_stops_check_with_exit_1(tmp_path: Path, public_iocs: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    iocs = public_iocs / "mvt-project__mvt-indicators" / "intellexa_predator" / "predator.stix2"
    backup = _backup(tmp_path / "backup", planted=True).build(password=PASSWORD)
    monkeypatch.setenv("E2E_PW", "a-wrong-guess")
    with pytest.raises(EvidenceError) as info:
        _run(backup, tmp_path / "out", iocs, Secrets(password_env="E2E_PW"), jobs=1)
    assert info.value.exit_code == 1 and "wrong iOS backup password" in str(info.value)
    assert "a-wrong-guess" not in str(info.value)
    # a run that fails before doing anything leaves no output folder: the same command can be run again
    assert not (tmp_path / "out").exists()
