"""``spyscan collect ios`` at pymobiledevice3's service boundary, with a recorded phone (see fake_ios.py)."""

from __future__ import annotations

import inspect
import json
import stat
from pathlib import Path

import pytest

pytest.importorskip("pymobiledevice3", reason="the iOS acquisition extra (pymobiledevice3) is not installed")

from pymobiledevice3 import exceptions as pmd3_exceptions
from pymobiledevice3.lockdown import create_using_usbmux
from pymobiledevice3.services.crash_reports import CrashReportsManager
from pymobiledevice3.services.mobilebackup2 import Mobilebackup2Service

from spyscan.cli import main
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.errors import EXIT_DETECTIONS
from spyscan.evidence.secrets import Secrets
from tests.collect import fake_ios
from tests.collect.fake_ios import PLANTED_PROCESS, UDID, Recording

PASSWORD = "correct horse"


def run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exited:
        return int(exited.code or 0)
    return 0


def collect(out: Path, *extra: str) -> int:
    return run(["collect", "ios", "-o", str(out), "--owner-consents", *extra])


@pytest.fixture
def phone(monkeypatch: pytest.MonkeyPatch) -> Recording:
    recording = Recording()
    fake_ios.install(monkeypatch, recording)
    monkeypatch.setenv("BACKUP_PW", PASSWORD)
    return recording


def test_fakes_take_the_library_arguments() -> None:
    """Every argument spyscan passes at the boundary exists in the real library."""
    used = {
        create_using_usbmux: ("serial", "autopair", "pair_timeout"),
        Mobilebackup2Service.backup: ("full", "backup_directory", "progress_callback"),
        Mobilebackup2Service.change_password: ("backup_directory", "old", "new"),
        Mobilebackup2Service.get_will_encrypt: (),
        CrashReportsManager.ls: ("path", "depth"),
        CrashReportsManager.pull: ("out", "entry", "erase", "progress_bar"),
        CrashReportsManager.get_new_sysdiagnose: ("out", "erase", "timeout"),
    }
    for function, names in used.items():
        assert inspect.iscoroutinefunction(function), function
        params = inspect.signature(function).parameters
        assert set(names) <= set(params), (function.__qualname__, names, list(params))


def test_encryption_off_is_turned_on_with_consent_and_the_result_is_checked(
        phone: Recording, tmp_path: Path) -> None:
    out = tmp_path / "acq"
    assert collect(out, "--turn-on-encryption", "--password-env", "BACKUP_PW", "--sysdiagnose") == 0
    changes = [kwargs for name, kwargs in phone.calls if name == "change_password"]
    assert len(changes) == 1 and changes[0]["new"] == PASSWORD and changes[0]["old"] == ""
    assert [kwargs["erase"] for name, kwargs in phone.calls if name == "pull"] == [False, False]
    assert not phone.sysdiagnose_left

    info = json.loads((out / "acquisition.json").read_text())
    assert info["status"] == "complete" and info["platform"] == "ios" and info["interrupted"] is None
    assert info["device"]["udid"] == UDID and info["device"]["product_type"] == "iPhone14,5"
    assert info["libraries"]["pymobiledevice3"] != "unknown"
    assert info["phone_traces"]["settings_changed"][0].startswith("backup encryption turned on")
    assert "Reset All Settings" in info["phone_traces"]["settings_changed"][0]
    assert f"backup/{UDID}/Manifest.plist" in info["files"]
    assert f"crash_reports/{PLANTED_PROCESS}-2024-06-01-081500.ips" in info["files"]
    assert any(name.startswith("sysdiagnose_") for name in info["files"])
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in out.rglob("*") if p.is_file())

    result = check(out, None, RunOptions(output=tmp_path / "results", jobs=2,
                                         indicators=IndicatorOptions(paths=[], bundled=True),
                                         secrets=Secrets(password_env="BACKUP_PW", interactive=False)))
    assert result.run.kind == "ios-collection"
    artifacts = result.run.artifacts
    assert artifacts["ios.collection_acquisition"].status == "ok"
    assert artifacts["ios.crash_reports@ios-crash-reports:crash_reports"].records == 2
    assert any(job.startswith("ios.backup_info@ios-backup:") and s.status == "ok" for job, s in artifacts.items())
    assert any(job.endswith("@sysdiagnose:sysdiagnose_2024.06.03_10-00-00+0200_iPhone-OS_iPhone_21F90.tar.gz")
               for job in artifacts)
    assert result.exit_code == EXIT_DETECTIONS
    assert any(d.indicator and d.indicator.value == PLANTED_PROCESS for d in result.detections)


def test_owner_keeps_encryption_off(phone: Recording, tmp_path: Path) -> None:
    out = tmp_path / "acq"
    assert collect(out) == 0  # no terminal and no --turn-on-encryption: the setting is left alone
    assert not [c for c in phone.calls if c[0] == "change_password"]
    info = json.loads((out / "acquisition.json").read_text())
    assert info["status"] == "complete" and info["steps"]["encryption"].startswith("skipped")
    assert info["phone_traces"]["settings_changed"] == []


def test_wrong_password_is_a_clear_error(phone: Recording, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    phone.will_encrypt, phone.password = True, "the real one"
    out = tmp_path / "acq"
    assert collect(out, "--password-env", "BACKUP_PW") == 1
    err = capsys.readouterr().err
    assert "not this iPhone's backup password" in err
    info = json.loads((out / "acquisition.json").read_text())
    assert info["status"] == "incomplete" and info["interrupted"]["step"] == "backup"


@pytest.mark.parametrize(("error", "expected"), [
    (pmd3_exceptions.PasswordRequiredError(), "the iPhone is locked"),
    (pmd3_exceptions.UserDeniedPairingError(), "refused to trust this computer"),
    (pmd3_exceptions.NoDeviceConnectedError(), "no iPhone found"),
], ids=["locked", "pairing-refused", "no-phone"])
def test_refusals_exit_1_with_a_clear_message(phone: Recording, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              error: BaseException, expected: str) -> None:
    phone.connect_error = error
    assert collect(tmp_path / "acq") == 1
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "acq").exists()  # nothing is created before the phone answers


def test_a_lost_connection_mid_backup_is_marked_incomplete(phone: Recording, tmp_path: Path) -> None:
    phone.backup_error = pmd3_exceptions.ConnectionTerminatedError()
    out = tmp_path / "acq"
    assert collect(out) == 1
    info = json.loads((out / "acquisition.json").read_text())
    assert info["status"] == "incomplete" and info["interrupted"]["step"] == "backup"
    assert "lost" in info["interrupted"]["error"] and "backup" in info["missing"]
    result = check(out, None, RunOptions(output=tmp_path / "results", jobs=1,
                                         indicators=IndicatorOptions(paths=[], bundled=True)))
    assert [d.rule for d in result.detections if d.rule and "incomplete" in d.rule] == ["ios.acquisition_incomplete"]
    assert result.run.artifacts["ios.collection_acquisition"].status != "ok"


def test_consent_is_asked_first(phone: Recording, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["collect", "ios", "-o", str(tmp_path / "acq")]) == 2
    assert "--owner-consents" in capsys.readouterr().err
    assert phone.calls == []


def test_a_crash_report_folder_alone_is_its_own_kind(tmp_path: Path) -> None:
    from spyscan.kinds import detect_kind

    folder = tmp_path / "crashes"
    (folder / "Retired").mkdir(parents=True)
    (folder / f"{PLANTED_PROCESS}-2024-06-01-081500.ips").write_text(fake_ios.PEGASUS_CRASH)
    (folder / "Retired" / "JetsamEvent-2024-06-02-100000.ips").write_text(fake_ios.JETSAM)
    assert detect_kind(folder) == "ios-crash-reports"
    result = check(folder, None, RunOptions(output=tmp_path / "results", jobs=1,
                                            indicators=IndicatorOptions(paths=[], bundled=True)))
    assert result.run.artifacts["ios.crash_reports"].records == 2
    assert any(d.indicator and d.indicator.value == PLANTED_PROCESS for d in result.detections)
