"""androidqf artifacts and the Android rules on generated acquisitions (planted and clean)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from spyscan.errors import ArtifactNotFound
from spyscan.records.android_files import AndroidFile
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.android_properties import AndroidProperty, AndroidSecurityPatch
from tests.androidqf.helpers import collect, detections, open_evidence
from tests.builders.androidqf import build_androidqf, file_entry, package

NOVISPY_CERT = "3ac97735164824657b683e805133b1274b2dedabf9fdd6aa9aca31089d501e64"


@pytest.fixture
def clean(tmp_path: Path):  # type: ignore[no-untyped-def]
    return open_evidence(build_androidqf(tmp_path / "clean"), tmp_path / "work-clean")


@pytest.fixture
def planted(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = build_androidqf(
        tmp_path / "planted",
        packages=[package("com.gu.activity", installer=None, cert_sha256=NOVISPY_CERT),
                  package("com.topjohnwu.magisk", installer="com.android.chrome"),
                  package("app.side.loaded", installer="com.google.android.packageinstaller"),
                  package("org.fdroid.app", installer="org.fdroid.fdroid"),
                  package("com.google.android.gms", system=True, disabled=True)],
        processes=[("u0_a300", 6666, 700, "com.gu.activity")],
        getprop={"sys.brand.note": "1", "ro.build.version.security_patch": "2023-01-01"},
        settings={"global": {"package_verifier_enable": "0", "verifier_verify_adb_installs": "0"},
                  "secure": {"install_non_market_apps": "1",
                             "enabled_accessibility_services": "com.gu.activity/.Acc:com.x/.Y"}},
        files=[file_entry("/data/local/tmp/frida-server", sha256="ab" * 32)],
        root_binaries=["/system/xbin/su"],
        mounts=["/dev/block/dm-0 on /system type ext4 (rw,seclabel)"],
        form="zip",
    )
    return open_evidence(path, tmp_path / "work-planted")


def _rules(evidence, artifact_id: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    records, _ = collect(evidence, artifact_id)
    found: dict[str, list[str]] = {}
    for d in detections(artifact_id, records):
        found.setdefault(d.rule or "", []).append(f"{d.severity.value}:{d.message}")
    return found


def test_packages_record_hashes_and_installer(planted) -> None:  # type: ignore[no-untyped-def]
    records, log = collect(planted, "android.androidqf.packages")
    by_name = {r.package: r for r in records if isinstance(r, AndroidPackage)}
    evil = by_name["com.gu.activity"]
    assert evil.installer is None and evil.cert_sha256 == [NOVISPY_CERT] and evil.third_party
    assert evil.apk_sha256 == [hashlib.sha256(b"com.gu.activity").hexdigest()]
    assert not log.warnings


def test_package_rules(planted, clean) -> None:  # type: ignore[no-untyped-def]
    found = _rules(planted, "android.androidqf.packages")
    assert found["android.root_tool_package"] == ["high:rooting/hooking tool installed: com.topjohnwu.magisk"]
    sideloaded = sorted(found["android.sideloaded_package"])
    assert any(m.startswith("medium:com.gu.activity was installed by an unknown installer") for m in sideloaded)
    assert any("com.topjohnwu.magisk" in m and "browser com.android.chrome" in m for m in sideloaded)
    assert any(m.startswith("medium:app.side.loaded was sideloaded") for m in sideloaded)
    assert any(m.startswith("info:org.fdroid.app") for m in sideloaded)
    assert found["android.security_package_disabled"] == [
        "medium:security/update package disabled: com.google.android.gms"]
    assert _rules(clean, "android.androidqf.packages") == {}


def test_processes_from_ps_and_json(planted) -> None:  # type: ignore[no-untyped-def]
    for artifact in ("android.androidqf.ps", "android.androidqf.processes"):
        records, _ = collect(planted, artifact)
        names = {r.name for r in records}  # type: ignore[attr-defined]
        assert {"init", "system_server", "com.gu.activity"} <= names
        assert {r.pid for r in records if r.name == "com.gu.activity"} == {6666}  # type: ignore[attr-defined]
    records, _ = collect(planted, "android.androidqf.processes")
    init = next(r for r in records if r.name == "init")
    assert init.source.file == "processes.txt" and init.executable == "/system/bin/init"  # type: ignore[attr-defined]
    assert init.previous_label == "u:r:zygote:s0" and init.working_dir == "/"  # type: ignore[attr-defined]


def test_processes_txt_as_ps_text_and_comm_name(tmp_path: Path) -> None:
    path = build_androidqf(tmp_path / "acq")
    (path / "ps.txt").unlink()
    (path / "processes.txt").write_text("USER PID PPID VSZ RSS WCHAN ADDR S NAME\nroot 1 0 10 1 0 0 S init\n")
    evidence = open_evidence(path, tmp_path / "w")
    records, _ = collect(evidence, "android.androidqf.ps")
    assert [(r.name, r.source.file) for r in records] == [("init", "processes.txt")]  # type: ignore[attr-defined]
    with pytest.raises(ArtifactNotFound):
        collect(evidence, "android.androidqf.processes")
    (path / "processes.txt").write_text('[{"pid": 7, "filename": "(kworker/0:1)", "command_line": null}]')
    records, _ = collect(open_evidence(path, tmp_path / "w2"), "android.androidqf.processes")
    assert [r.name for r in records] == ["kworker/0:1"]  # type: ignore[attr-defined]


def test_root_binaries_which_a_output_with_several_paths(tmp_path: Path) -> None:
    path = build_androidqf(tmp_path / "acq", root_binaries=["/system/bin/su\n/system/xbin/su", "/sbin/magisk"])
    records, _ = collect(open_evidence(path, tmp_path / "w"), "android.androidqf.root_binaries")
    assert [r.path for r in records] == ["/system/bin/su", "/system/xbin/su", "/sbin/magisk"]  # type: ignore[attr-defined]


def test_getprop_and_patch_level(planted, clean) -> None:  # type: ignore[no-untyped-def]
    records, _ = collect(planted, "android.androidqf.getprop")
    props = {r.name: r.value for r in records if isinstance(r, AndroidProperty)}
    assert props["sys.brand.note"] == "1" and props["ro.product.model"] == "Pixel 7"
    patch = next(r for r in records if isinstance(r, AndroidSecurityPatch))
    assert patch.reference_is_acquisition and patch.age_days == 445  # 2023-01-01 .. 2024-03-21
    assert _rules(planted, "android.androidqf.getprop")["android.security_patch_old"]
    assert _rules(clean, "android.androidqf.getprop") == {}  # 2024-03-05 vs acquisition 2024-03-21


def test_patch_level_without_acquisition_date_is_not_judged_against_today(tmp_path: Path) -> None:
    """Issue 19: judged against the acquisition date, never today's (a 2024 patch re-checked in 2026 is not old)."""
    path = build_androidqf(tmp_path / "a", acquired=None)
    records, _ = collect(open_evidence(path, tmp_path / "w"), "android.androidqf.getprop")
    patch = next(r for r in records if isinstance(r, AndroidSecurityPatch))
    assert not patch.reference_is_acquisition and patch.age_days is None
    assert _rules(open_evidence(path, tmp_path / "w2"), "android.androidqf.getprop") == {}


def test_settings_rules(planted, clean) -> None:  # type: ignore[no-untyped-def]
    found = _rules(planted, "android.androidqf.settings")["android.risky_setting"]
    text = " | ".join(found)
    assert "medium:Play Protect app verification is off (package_verifier_enable=0)" in found
    assert "verifier_verify_adb_installs=0" in text and "com.gu.activity/.Acc" in text
    # Android 14 (ro.build.version.release): install_non_market_apps reads 1 on every phone since Android 8
    assert "install_non_market_apps" not in text
    assert len(found) == 3
    assert _rules(clean, "android.androidqf.settings") == {}


@pytest.mark.parametrize(("props", "expected"), [
    ({"ro.build.version.sdk": "34"}, []),
    ({"ro.build.version.sdk": "25", "ro.build.version.release": "7.1.2"}, ["medium"]),
    ({"ro.build.version.release": "9"}, []),
])
def test_unknown_sources_setting_depends_on_the_android_version(tmp_path: Path, props: dict[str, str],
                                                                expected: list[str]) -> None:
    path = build_androidqf(tmp_path / "a", getprop=props, settings={"secure": {"install_non_market_apps": "1"}})
    found = _rules(open_evidence(path, tmp_path / "w"), "android.androidqf.settings").get("android.risky_setting", [])
    assert [f.split(":", 1)[0] for f in found] == expected


def test_unknown_sources_without_android_version_is_context(tmp_path: Path) -> None:
    path = build_androidqf(tmp_path / "a", settings={"secure": {"install_non_market_apps": "1"}})
    (path / "getprop.txt").write_text("[ro.product.model]: [Pixel]\n")
    found = _rules(open_evidence(path, tmp_path / "w"), "android.androidqf.settings")["android.risky_setting"]
    assert [f.split(":", 1)[0] for f in found] == ["low"]


@pytest.mark.parametrize(("name", "value", "severity"), [
    ("package_verifier_state", "-1", "medium"), ("package_verifier_state", "1", None),
    ("samsung_errorlog_agree", "0", "info"), ("send_security_reports", "0", "info"),
    ("accessibility_enabled", "1", "info"), ("accessibility_enabled", "0", None),
    ("send_action_app_error", "0", "info"),
    ("enabled_accessibility_services",
     "com.google.android.marvin.talkback/com.google.android.marvin.talkback.TalkBackService", "info"),
    ("enabled_accessibility_services", "com.example.helper/.Svc", "medium"),
])
def test_setting_severities(tmp_path: Path, name: str, value: str, severity: str | None) -> None:
    path = build_androidqf(tmp_path / "a", settings={"secure": {name: value}})
    found = _rules(open_evidence(path, tmp_path / "w"), "android.androidqf.settings").get("android.risky_setting", [])
    assert [f.split(":", 1)[0] for f in found] == ([severity] if severity else [])


def test_files_json_array_and_ndjson(tmp_path: Path) -> None:
    for ndjson in (False, True):
        path = build_androidqf(tmp_path / f"a{ndjson}", files_ndjson=ndjson,
                               files=[file_entry("/data/local/tmp/x.sh", sha256="CD" * 32, modified=1_700_000_000)])
        records, _ = collect(open_evidence(path, tmp_path / f"w{ndjson}"), "android.androidqf.files")
        planted = next(r for r in records if isinstance(r, AndroidFile) and r.path == "/data/local/tmp/x.sh")
        assert planted.sha256 == "cd" * 32 and planted.modified is not None
        assert planted.modified.isoformat() == "2023-11-14T22:13:20+00:00"
        found = detections("android.androidqf.files", records)
        # per artifact every file there is reported; the run rule android.acquisition_traces then recognises
        # androidqf's own collector from acquisition.json (tests/androidqf/test_aqf_acquisition_traces.py)
        assert sorted((d.rule, d.message) for d in found) == [
            ("android.data_local_tmp", "file in /data/local/tmp: /data/local/tmp/collector"),
            ("android.data_local_tmp", "file in /data/local/tmp: /data/local/tmp/x.sh")]


def test_root_binaries_and_mounts(planted, clean) -> None:  # type: ignore[no-untyped-def]
    assert _rules(planted, "android.androidqf.root_binaries")["android.root_binary"] == [
        "high:root binary present: /system/xbin/su"]
    mounts, _ = collect(planted, "android.androidqf.mounts")
    assert {m.mount_point for m in mounts} >= {"/", "/vendor", "/data", "/system"}  # type: ignore[attr-defined]
    rw = _rules(planted, "android.androidqf.mounts")["android.system_mount_rw"]
    assert rw == ["high:/system (/dev/block/dm-0, ext4) is mounted read-write"]
    assert _rules(clean, "android.androidqf.root_binaries") == {}
    assert _rules(clean, "android.androidqf.mounts") == {}  # /data rw and tmpfs are normal


def test_mount_line_formats() -> None:
    from spyscan.artifacts.android.androidqf_mounts import parse_mount_line

    assert parse_mount_line("/dev/a /my\\040dir ext4 rw,x 0 0") == ("/dev/a", "/my dir", "ext4", ["rw", "x"])
    assert parse_mount_line("/dev/a on /system type ext4 (ro,seclabel)") == (
        "/dev/a", "/system", "ext4", ["ro", "seclabel"])
    assert parse_mount_line("garbage") is None


def test_logs_and_logcat(planted) -> None:  # type: ignore[no-untyped-def]
    logs, _ = collect(planted, "android.androidqf.logs")
    assert [r.path for r in logs] == ["logs/uiderrors.txt"]  # type: ignore[attr-defined]
    assert logs[0].sha256 == hashlib.sha256(b"no errors\n").hexdigest()  # type: ignore[attr-defined]
    assert logs[0].modified is not None  # type: ignore[attr-defined]
    lines, _ = collect(planted, "android.androidqf.logcat")
    assert len(lines) == 1 and lines[0].tag == "ActivityManager"  # type: ignore[attr-defined]
    # 11:00 on the device (America/Mexico_City, UTC-6, no DST since 2022) is 17:00 UTC
    assert lines[0].time.isoformat() == "2024-03-21T17:00:00+00:00"  # type: ignore[attr-defined]
    assert lines[0].time_raw == "03-21 11:00:00.000"  # type: ignore[attr-defined]


def test_integrity_clean_and_tampered(tmp_path: Path) -> None:
    clean = open_evidence(build_androidqf(tmp_path / "c"), tmp_path / "wc")
    records, log = collect(clean, "android.androidqf.integrity")
    assert records == [] and not log.warnings
    tampered_path = build_androidqf(tmp_path / "t", tamper={"packages.json": json.dumps([]).encode()}, form="zip")
    tampered = open_evidence(tampered_path, tmp_path / "wt")
    records, log = collect(tampered, "android.androidqf.integrity")
    assert [(r.path, r.problem) for r in records] == [("packages.json", "mismatch")]  # type: ignore[attr-defined]
    assert log.warnings == ["packages.json does not match its hash in hashes.csv"]
    found = detections("android.androidqf.integrity", records)
    assert found[0].rule == "android.acquisition_integrity"


def test_integrity_missing_file_with_absolute_manifest_paths(tmp_path: Path) -> None:
    folder = build_androidqf(tmp_path / "m", hashes=False)
    digest = hashlib.sha256((folder / "getprop.txt").read_bytes()).hexdigest()
    manifest = f"/home/analyst/acq/getprop.txt,{digest}\n/home/analyst/acq/gone.txt,{'0' * 64}\n"
    (folder / "hashes.csv").write_text(manifest)
    records, _ = collect(open_evidence(folder, tmp_path / "w"), "android.androidqf.integrity")
    assert [(r.path, r.problem) for r in records] == [  # type: ignore[attr-defined]
        ("/home/analyst/acq/gone.txt", "missing")]


def test_bad_bytes_are_counted_as_warnings(tmp_path: Path) -> None:
    folder = build_androidqf(tmp_path / "b")
    (folder / "settings_global.txt").write_bytes(b"package_verifier_enable=\xff1\n")
    records, log = collect(open_evidence(folder, tmp_path / "w"), "android.androidqf.settings")
    assert any(r.value == "\\xff1" for r in records)  # type: ignore[attr-defined]
    assert any("settings_global.txt: 1 undecodable" in w for w in log.warnings)


def test_broken_json_is_one_artifact_error(tmp_path: Path) -> None:
    folder = build_androidqf(tmp_path / "j")
    (folder / "packages.json").write_text("[{broken")
    with pytest.raises(ValueError, match=r"packages\.json is not valid JSON"):
        collect(open_evidence(folder, tmp_path / "w"), "android.androidqf.packages")


def test_long_lines_are_cut_and_counted_and_the_file_is_hashed(tmp_path: Path) -> None:
    from spyscan.evidence.textio import DEFAULT_LINE_LIMIT

    folder = build_androidqf(tmp_path / "l")
    content = b"a=" + b"x" * (DEFAULT_LINE_LIMIT + 10) + b"\r\nb=2\n\nc=3"
    (folder / "settings_global.txt").write_bytes(content)
    evidence = open_evidence(folder, tmp_path / "w")
    records, log = collect(evidence, "android.androidqf.settings")
    global_ = [(r.name, len(r.value), r.source.line) for r in records if r.namespace == "global"]  # type: ignore[attr-defined]
    assert global_ == [("a", DEFAULT_LINE_LIMIT - 2, 1), ("b", 1, 2), ("c", 1, 4)]
    assert any("settings_global.txt: 1 undecodable" in w for w in log.warnings)
    logged = {i.path: i.sha256 for i in evidence.inputs.items()}
    assert logged["settings_global.txt"] == hashlib.sha256(content).hexdigest()


def test_hashes_csv_quoted_windows_paths(tmp_path: Path) -> None:
    folder = build_androidqf(tmp_path / "acq")
    (folder / "logs" / "a,b.txt").write_bytes(b"x")
    digest = hashlib.sha256(b"x").hexdigest()
    (folder / "hashes.csv").write_text(f'"C:\\Users\\a\\acq\\logs\\a,b.txt",{digest}\nlogs/gone.txt,{"1" * 64}\n')
    records, _ = collect(open_evidence(folder, tmp_path / "w"), "android.androidqf.integrity")
    assert [(r.path, r.problem) for r in records] == [("logs/gone.txt", "missing")]  # type: ignore[attr-defined]


def test_files_json_names_and_sha512(tmp_path: Path) -> None:
    entry = {**file_entry("/data/local/tmp/x"), "user_name": "shell", "group_name": "shell",
             "sha512": "AB" * 64, "error": "permission denied"}
    path = build_androidqf(tmp_path / "acq", files=[entry])
    records, _ = collect(open_evidence(path, tmp_path / "w"), "android.androidqf.files")
    item = next(r for r in records if r.path == "/data/local/tmp/x")  # type: ignore[attr-defined]
    assert (item.user, item.group, item.sha512, item.error) == (  # type: ignore[attr-defined]
        "shell", "shell", "ab" * 64, "permission denied")
    assert item.modified.isoformat() == "2024-03-09T16:00:00+00:00"  # type: ignore[attr-defined]  # epoch, UTC
