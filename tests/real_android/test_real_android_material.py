"""Real Android files, placed where each belongs in a generated acquisition, checked with the bundled
indicators: no finding about compromise of medium or higher severity, except where the sample itself holds
what such a finding is about: MVT's own planted test entries (root binaries and ``com.malware.*`` apps in its
androidqf sample, an enabled accessibility service of ``com.malware.accessibility`` in its Android 14
accessibility excerpt), and two apps the androidqf sample's owner installed by hand with the package
installer, which spyscan reports by design.

Samples (read-only, never copied into the repository; each test skips with the reason when absent):
``../shared/fixtures/mvt-samples/android_data/`` (dumpsys excerpts, getprop, ps, tombstone twins and a small
unpacked bugreport from real phones), ``.../androidqf/`` (MVT's androidqf test acquisition) and
``../shared/fixtures/plaso-samples/`` (``android/mmssms.db``, ``android/contacts2.db``, ``android_logcat.log``).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from spyscan.detection.model import COMPROMISE, Detection, Severity
from spyscan.engine import RunOptions, RunResult, check
from tests.builders.android_backup import tar_bytes, write_ab
from tests.builders.androidqf import build_androidqf
from tests.builders.bugreport import DUMPSTATE, write_bugreport_folder

# dumpsys excerpts of MVT's android_data that hold only a service's body: the service they were taken from
BODIES = {"dumpsys_accessibility.txt": "accessibility", "dumpsys_appops.txt": "appops",
          "dumpsys_battery.txt": "batterystats", "dumpsys_packages.txt": "package"}
WITH_HEADER = ("dumpsys_dbinfo.txt", "dumpsys_platform_compat.txt")


@pytest.fixture
def android_data(mvt_samples: Path) -> Path:
    path = mvt_samples / "android_data"
    if not path.is_dir():
        pytest.skip(f"MVT android_data sample not present at {path}")
    return path


@pytest.fixture
def plaso(shared_dir: Path) -> Path:
    path = shared_dir / "fixtures" / "plaso-samples"
    if not path.is_dir():
        pytest.skip(f"plaso samples not present at {path}")
    return path


def _check(path: Path, out: Path, kind: str | None = None) -> RunResult:
    return check(path, kind, RunOptions(output=out, jobs=2))  # the bundled indicators


def _alarms(result: RunResult) -> list[Detection]:
    return [d for d in result.detections
            if d.category == COMPROMISE and d.severity.rank >= Severity.MEDIUM.rank]


def _errors(result: RunResult) -> dict[str, str | None]:
    return {k: v.error for k, v in result.run.artifacts.items() if v.status == "error"}


def _dumpsys(data: Path, accessibility: str, adb: str) -> str:
    parts = []
    for name, service in BODIES.items():
        source = accessibility if service == "accessibility" else name
        parts.append(f"DUMP OF SERVICE {service}:\n{(data / source).read_text(errors='replace')}\n")
    for name in (*WITH_HEADER, adb):
        parts.append((data / name).read_text(errors="replace") + "\n")
    return "".join(parts)


def test_mvt_bugreport_as_it_is(android_data: Path, tmp_path: Path) -> None:
    result = _check(android_data / "bugreport", tmp_path / "out")
    assert not _errors(result) and _alarms(result) == []
    assert result.run.artifacts["android.bugreport.tombstones"].records == 2
    crashes = [d for d in result.detections if d.rule == "android.tombstone_privileged_crash"]
    assert {d.severity for d in crashes} == {Severity.LOW}  # adbd (shell) and tzts_daemon (system): context


def test_mvt_android_data_in_a_generated_bugreport(android_data: Path, tmp_path: Path) -> None:
    props = (android_data / "getprop.txt").read_text(errors="replace")
    ps = (android_data / "ps.txt").read_text(errors="replace")
    dumpstate = ("== dumpstate: 2023-04-12 12:40:00\n------ SYSTEM PROPERTIES (getprop) ------\n" + props +
                 "------ 0.03s was the duration of 'SYSTEM PROPERTIES' ------\n------ PROCESSES (ps -A) ------\n" + ps +
                 "------ 0.05s was the duration of 'PROCESSES' ------\n" +
                 _dumpsys(android_data, "dumpsys_accessibility_v14_or_later.txt", "dumpsys_adb.txt"))
    files = {"main_entry.txt": DUMPSTATE.encode(), DUMPSTATE: dumpstate.encode(),
             "FS/data/tombstones/tombstone_00": (android_data / "tombstone_process.txt").read_bytes(),
             "FS/data/tombstones/tombstone_00.pb": (android_data / "tombstone_process.pb").read_bytes()}
    result = _check(write_bugreport_folder(tmp_path / "bugreport", files), tmp_path / "out")
    # MVT planted an enabled accessibility service of "com.malware.accessibility" in this excerpt: found, and
    # the only medium finding
    assert not _errors(result)
    assert [(d.rule, d.observable.value if d.observable else None) for d in _alarms(result)] == [
        ("android.accessibility_enabled", "com.malware.accessibility")]
    artifacts = result.run.artifacts
    assert artifacts["android.bugreport.tombstones"].records == 1  # text and protobuf twins: one crash
    assert artifacts["android.bugreport.processes"].records == 17
    assert artifacts["android.dumpsys.packages"].records > 0 and artifacts["android.dumpsys.receivers"].records > 0
    assert artifacts["android.dumpsys.adb"].records == 1


def test_mvt_android_data_in_a_generated_androidqf(android_data: Path, tmp_path: Path) -> None:
    acq = build_androidqf(tmp_path / "acq", hashes=False)
    (acq / "dumpsys.txt").write_text(_dumpsys(android_data, "dumpsys_accessibility.txt", "dumpsys_adb_xml.txt"))
    shutil.copy(android_data / "getprop.txt", acq / "getprop.txt")
    shutil.copy(android_data / "ps.txt", acq / "ps.txt")
    result = _check(acq, tmp_path / "out", "androidqf")
    assert not _errors(result) and _alarms(result) == []
    assert result.run.artifacts["android.androidqf.ps"].records == 17


def test_mvt_androidqf_sample(mvt_samples: Path, tmp_path: Path) -> None:
    """MVT's androidqf test acquisition holds planted test entries (root binaries in root_binaries.json,
    ``com.malware.*`` packages) and two apps installed by hand with the package installer (ReVanced Manager
    and F-Droid, signers not on androidqf's well-known list): those, and only those, are medium or higher."""
    sample = mvt_samples / "androidqf"
    if not sample.is_dir():
        pytest.skip(f"androidqf sample not present at {sample}")
    result = _check(sample, tmp_path / "out", "androidqf")
    assert not _errors(result)
    alarms = sorted((d.rule or "", d.severity.value, d.message if d.rule == "android.root_binary" else
                     d.observable.value if d.observable else d.message) for d in _alarms(result))
    planted_root = json.loads((sample / "root_binaries.json").read_text())
    assert alarms == sorted([("android.root_binary", "high", f"root binary present: {p}") for p in planted_root] + [
        ("android.sideloaded_package", "medium", "app.revanced.manager.flutter"),
        ("android.sideloaded_package", "medium", "org.fdroid.fdroid")])
    whatsapp = [d for d in result.detections if d.observable and d.observable.value == "com.whatsapp"]
    assert [(d.severity.value, d.category) for d in whatsapp] == [("low", "context")]  # genuine signer


def _backup(tmp_path: Path, files: list[tuple[str, bytes]], form: str) -> Path:
    if form == "ab":
        return write_ab(tmp_path / "backup.ab", tar_bytes(files))
    for name, data in files:
        (tmp_path / "unpacked" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "unpacked" / name).write_bytes(data)
    return tmp_path / "unpacked"


@pytest.mark.parametrize("form", ["ab", "folder"])
def test_plaso_mmssms_in_a_backup(plaso: Path, tmp_path: Path, form: str) -> None:
    db = (plaso / "android" / "mmssms.db").read_bytes()
    path = _backup(tmp_path, [("apps/com.android.providers.telephony/db/mmssms.db", db)], form)
    result = _check(path, tmp_path / "out")
    assert result.run.kind == "android-backup"
    assert not _errors(result) and _alarms(result) == []
    status = result.run.artifacts["android.backup.sms_database"]
    assert status.status == "ok" and status.records == 9
    rows = [json.loads(line) for line in (tmp_path / "out" / "records" / "android.backup.sms_database.jsonl")
            .read_text().splitlines()]
    assert rows[0]["body"] == "Yo Fred this is my new number." and rows[0]["direction"] == "sent"
    assert rows[0]["date"].startswith("2013-10-29")


@pytest.mark.parametrize("form", ["ab", "folder"])
def test_plaso_contacts2_in_a_backup(plaso: Path, tmp_path: Path, form: str) -> None:
    db = (plaso / "android" / "contacts2.db").read_bytes()
    path = _backup(tmp_path, [("apps/com.android.providers.contacts/db/contacts2.db", db)], form)
    result = _check(path, tmp_path / "out")
    assert not _errors(result) and _alarms(result) == []
    status = result.run.artifacts["android.backup.call_log"]
    assert status.status == "ok" and status.records == 3
    assert result.run.artifacts["android.backup.sms_database"].status == "not_found"


def test_plaso_logcat_in_an_androidqf_acquisition(plaso: Path, tmp_path: Path) -> None:
    acq = build_androidqf(tmp_path / "acq", logcat=(plaso / "android_logcat.log").read_text(errors="replace"))
    result = _check(acq, tmp_path / "out", "androidqf")
    assert not _errors(result) and _alarms(result) == []
    # plaso's sample mixes formats; the threadtime lines (with or without year and zone) are the ones
    # androidqf writes: "-v time" lines and lines of another year are left out
    assert result.run.artifacts["android.androidqf.logcat"].records >= 3


def test_the_real_samples_in_one_zipped_androidqf_with_its_bugreport(android_data: Path, plaso: Path,
                                                                     tmp_path: Path) -> None:
    """The bugreport inside the acquisition is read too, once (its dumpsys copy is not read again)."""
    bugreport = tmp_path / "bugreport.zip"
    with zipfile.ZipFile(bugreport, "w") as zf:
        for item in sorted((android_data / "bugreport").rglob("*")):
            if item.is_file():
                zf.write(item, item.relative_to(android_data / "bugreport").as_posix())
    acq = build_androidqf(tmp_path / "acq", logcat=(plaso / "android_logcat.log").read_text(errors="replace"),
                          extra_files={"bugreport.zip": bugreport.read_bytes()}, form="zip")
    result = _check(acq, tmp_path / "out")
    assert not _errors(result) and _alarms(result) == []
    assert result.run.artifacts["android.bugreport.tombstones@bugreport:bugreport.zip"].records == 2
    assert result.run.artifacts["android.dumpsys.packages@bugreport:bugreport.zip"].status == "not_found"
