"""``spyscan collect android`` against a scripted phone behind a real adb protocol server.

adbutils (the real client library) talks the adb host and sync protocols to ``FakeAdbServer``; the
folder it makes is then checked by ``spyscan check`` as it is.
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("adbutils", reason="the Android acquisition extra (adbutils) is not installed")

from spyscan.cli import main
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.errors import EXIT_DETECTIONS
from tests.collect.fake_adb import FakeAdbServer, FakePhone
from tests.collect.phones import PLANTED_APP, scripted_phone


@pytest.fixture
def phone() -> FakePhone:
    return scripted_phone(planted=True)


@pytest.fixture
def server(phone: FakePhone, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeAdbServer]:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no real adb key is read
    with FakeAdbServer(phone) as running:
        yield running


def collect(server: FakeAdbServer, out: Path, *extra: str) -> int:
    argv = ["collect", "android", "-o", str(out), "--owner-consents", "--adb-port", str(server.port), *extra]
    try:
        main(argv)
    except SystemExit as exited:
        return int(exited.code or 0)
    return 0


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_acquisition_in_androidqf_layout_is_checked_with_the_planted_detections(
        server: FakeAdbServer, phone: FakePhone, tmp_path: Path) -> None:
    out = tmp_path / "acq"
    assert collect(server, out, "--bugreport", "--sms-backup") == 0
    names = sorted(p.name for p in out.iterdir())
    for expected in ("acquisition.json", "getprop.txt", "settings_global.txt", "settings_secure.txt",
                     "settings_system.txt", "processes.txt", "packages.json", "dumpsys.txt", "logcat.txt",
                     "files.json", "mounts.json", "root_binaries.json", "bugreport.zip", "backup.ab", "hashes.csv",
                     "env.txt", "selinux.txt", "services.txt"):
        assert expected in names, names
    assert not [n for n in names if n.endswith(".part")]
    assert _mode(out) == 0o700 and all(_mode(p) == 0o600 for p in out.iterdir())

    info = json.loads((out / "acquisition.json").read_text())
    assert info["status"] == "complete" and info["interrupted"] is None and info["missing"] == []
    assert info["device"]["model"] == "Pixel 7a" and info["device"]["serial"] == phone.serial
    assert info["tmp_dir"] == "/data/local/tmp/" and info["collector"] is None
    for name, entry in info["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"], name
    traces = info["phone_traces"]
    assert traces["left_on_phone"] == [] and traces["pushed"] == []
    assert traces["created_and_removed"] == [p for p in traces["created_and_removed"] if "bugreports/" in p]
    assert not [p for p in phone.files if "bugreports/" in p], "the bugreport was left on the phone"
    assert "getprop" in traces["commands"]

    packages = {p["name"]: p for p in json.loads((out / "packages.json").read_text())}
    notes = packages["com.example.notes"]["files"][0]
    apk = next(iter(next(p for p in phone.packages if p.name == "com.example.notes").apks.values()))
    assert notes["sha256"] == hashlib.sha256(apk).hexdigest() and len(notes["sha512"]) == 128
    assert notes["certificate"]["Subject"].endswith("CN=Notes Developer") and notes["certificate_scheme"] == "v2"
    assert packages["com.example.legacy"]["files"][0]["certificate_scheme"] == "v1"
    assert packages["com.android.chrome"]["system"] and packages["com.android.chrome"]["files"][0]["certificate"] == {}
    assert packages[PLANTED_APP]["installer"] == "null"
    assert json.loads((out / "root_binaries.json").read_text()) == ["/system/xbin/su"]
    listed = {f["path"]: f for f in json.loads((out / "files.json").read_text())}
    assert listed["/sdcard/Download/notes.txt"]["size"] == 14 and listed["/init.rc"]["mode"] == "750"
    assert listed["/data/local/tmp/.keep"]["sha256"] == hashlib.sha256(b"").hexdigest()

    result = check(out, None, RunOptions(output=tmp_path / "results", jobs=2,
                                         indicators=IndicatorOptions(paths=[], bundled=True)))
    assert result.run.kind == "androidqf"
    assert result.exit_code == EXIT_DETECTIONS
    hits = {(d.rule or (d.indicator.value if d.indicator else ""), d.observable.value if d.observable else "")
            for d in result.detections}
    assert (PLANTED_APP, PLANTED_APP) in {(i, o) for i, o in hits}
    assert any(rule == "android.root_binary" for rule, _ in hits), hits
    assert not [d for d in result.detections if d.rule == "android.acquisition_incomplete"]
    statuses = result.run.artifacts
    for artifact in ("android.androidqf.packages", "android.androidqf.getprop", "android.androidqf.ps",
                     "android.androidqf.files", "android.androidqf.integrity", "android.androidqf.acquisition"):
        assert statuses[artifact].status == "ok", (artifact, statuses[artifact])


@pytest.mark.parametrize("shell_v2", [True, False], ids=["shell-v2", "shell-v1"])
def test_a_disconnect_midway_leaves_a_folder_marked_incomplete(
        server: FakeAdbServer, phone: FakePhone, tmp_path: Path, shell_v2: bool) -> None:
    phone.shell_v2 = shell_v2
    phone.disconnect_when = lambda command: command == "dumpsys"
    out = tmp_path / "acq"
    assert collect(server, out) == 1
    info = json.loads((out / "acquisition.json").read_text())
    assert info["status"] == "incomplete"
    assert info["interrupted"]["step"] == "dumpsys" and "lost" in info["interrupted"]["error"]
    assert info["steps"]["packages"] == "ok" and info["steps"]["logcat"] == "not run"
    assert set(info["missing"]) == {"dumpsys.txt", "logcat.txt"}
    assert not (out / "dumpsys.txt").exists() and not list(out.glob("*.part"))  # never a silently cut file

    result = check(out, None, RunOptions(output=tmp_path / "results", jobs=1,
                                         indicators=IndicatorOptions(paths=[], bundled=True)))
    incomplete = [d for d in result.detections if d.rule == "android.acquisition_incomplete"]
    assert len(incomplete) == 1 and "dumpsys" in incomplete[0].message
    assert result.run.artifacts["android.androidqf.acquisition"].status != "ok"
    assert result.run.verdict is not None and result.run.verdict.state != "clean"  # never the clean verdict


def test_a_pull_cut_midway_marks_the_acquisition_incomplete(
        server: FakeAdbServer, phone: FakePhone, tmp_path: Path) -> None:
    phone.disconnect_when = lambda command: command.startswith("pull ") and "com.example.notes" in command
    out = tmp_path / "acq"
    assert collect(server, out) == 1
    info = json.loads((out / "acquisition.json").read_text())
    assert info["status"] == "incomplete" and info["interrupted"]["step"] == "packages"
    assert "packages.json" in info["missing"] and not (out / "packages.json").exists()


def test_refusals_are_clear(server: FakeAdbServer, phone: FakePhone, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    phone.state = "unauthorized"
    assert collect(server, tmp_path / "a") == 1
    assert "Allow USB debugging" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()  # nothing is created before the phone is there
    phone.state, phone.connected = "device", False
    assert collect(server, tmp_path / "b") == 1
    assert "no Android phone found" in capsys.readouterr().err


def test_consent_is_required(server: FakeAdbServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["collect", "android", "-o", str(tmp_path / "a"), "--adb-port", str(server.port)])
    assert exited.value.code == 2
    assert "--owner-consents" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


def test_encrypted_output_for_an_age_recipient(server: FakeAdbServer, tmp_path: Path) -> None:
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    key = tmp_path / "key.txt"
    key.write_text(str(identity) + "\n")
    out = tmp_path / "acq"
    assert collect(server, out, "--age-recipient", str(identity.to_public())) == 0
    (sealed,) = list(out.iterdir())
    assert sealed.name.endswith(".zip.age") and _mode(sealed) == 0o600
    result = check(sealed, None, RunOptions(output=tmp_path / "results", jobs=1,
                                            indicators=IndicatorOptions(paths=[], bundled=True),
                                            secrets=_identity(key)))
    assert result.exit_code == EXIT_DETECTIONS
    assert any(d.indicator and d.indicator.value == PLANTED_APP for d in result.detections)


def _identity(key: Path) -> object:
    from spyscan.evidence.secrets import Secrets

    return Secrets(identity=key, interactive=False)
