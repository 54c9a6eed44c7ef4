"""Real iOS files, placed where each belongs in a generated acquisition (backup, filesystem dump,
sysdiagnose), checked with the bundled indicators: no finding about compromise of medium or higher severity.

Samples (read-only, never copied into the repository; the tests skip with the reason when absent):
``../shared/fixtures/plaso-samples/`` (log2timeline/plaso test data from real phones, Apache-2.0):
``ios/DataUsage.sqlite``, ``ios/netusage.sqlite``, ``safari/History.db``,
``ios/com.apple.identityservices.idstatuscache.plist``, ``ios/com.apple.wifi.known-networks.plist``,
``ios/com.apple.MobileBackup.plist``, ``ios_sysdiag.log`` (MobileInstallation log lines) and
``ios_lockdownd.log``. ``ios_app_privacy_report.ndjson`` is checked as its own kind in
``tests/ios_privacy_report/test_privacy_report.py``. ``../shared/fixtures/mvt-samples/`` holds no iOS sample.

One acquisition per kind holds every sample (one check each keeps the suite fast); each sample then has its
own test: the artifact that reads it read it, and nothing it gave is an alarm.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spyscan.detection.model import COMPROMISE, Detection, Severity
from spyscan.engine import RunOptions, RunResult, check
from tests.builders.ios_backup import BackupBuilder
from tests.builders.ios_fs import FsDumpBuilder
from tests.builders.sqlite import EMPTY_SMS_DB
from tests.builders.sysdiagnose import SysdiagnoseBuilder, ps_text

PREFS = "Library/Preferences"
# sample -> where it lives: (backup domain, relative path) | None, filesystem path | None, sysdiagnose path | None,
# and the artifact that reads it (None: no artifact reads that file; it must simply raise nothing)
SAMPLES: dict[str, tuple[tuple[str, str] | None, str | None, str | None, str | None]] = {
    "ios/DataUsage.sqlite": (("WirelessDomain", "Library/Databases/DataUsage.sqlite"),
                             "private/var/wireless/Library/Databases/DataUsage.sqlite", None, "ios.datausage"),
    "ios/netusage.sqlite": (None, "private/var/networkd/netusage.sqlite", None, "ios.fs.netusage"),
    "safari/History.db": (("HomeDomain", "Library/Safari/History.db"),
                          "private/var/mobile/Library/Safari/History.db", None, "ios.safari_history"),
    "ios/com.apple.identityservices.idstatuscache.plist": (
        ("HomeDomain", f"{PREFS}/com.apple.identityservices.idstatuscache.plist"),
        f"private/var/mobile/{PREFS}/com.apple.identityservices.idstatuscache.plist", None, "ios.idstatuscache"),
    "ios/com.apple.wifi.known-networks.plist": (
        ("SystemPreferencesDomain", "com.apple.wifi.known-networks.plist"),
        "private/var/preferences/com.apple.wifi.known-networks.plist", None, None),
    "ios/com.apple.MobileBackup.plist": (("HomeDomain", f"{PREFS}/com.apple.MobileBackup.plist"),
                                         f"private/var/mobile/{PREFS}/com.apple.MobileBackup.plist", None, None),
    "ios_sysdiag.log": (None, "private/var/installd/Library/Logs/MobileInstallation/mobile_installation.log.0",
                        "logs/MobileInstallation/mobile_installation.log.0", "ios.mobile_installation"),
    "ios_lockdownd.log": (None, None, "logs/lockdownd.log", "ios.sysdiagnose.log_processes"),
}


@pytest.fixture(scope="module")
def plaso() -> Path:
    from tests.conftest import shared_path

    path = shared_path() / "fixtures" / "plaso-samples"
    if not path.is_dir():
        pytest.skip(f"plaso samples not present at {path} (set SPYSCAN_SHARED)")
    return path


def _check(path: Path, out: Path) -> RunResult:
    return check(path, None, RunOptions(output=out, jobs=2, progress=None))  # the bundled indicators


@pytest.fixture(scope="module")
def results(plaso: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, RunResult]:
    base = tmp_path_factory.mktemp("real-ios")
    backup = BackupBuilder(base / "backup")
    backup.add_sqlite("HomeDomain", "Library/SMS/sms.db", EMPTY_SMS_DB)
    dump = FsDumpBuilder().add_sqlite("private/var/mobile/Library/SMS/sms.db", EMPTY_SMS_DB)
    sysdiag = SysdiagnoseBuilder().logarchive_noise()
    sysdiag.add_text("ps.txt", ps_text([("root", 1, 0, "/sbin/launchd"), ("mobile", 300, 1, "/usr/libexec/locationd")]))
    for name, (in_backup, in_dump, in_sysdiag, _) in SAMPLES.items():
        data = (plaso / name).read_bytes()
        if in_backup:
            backup.add_file(*in_backup, data)
        if in_dump:
            dump.add_file(in_dump, data)
        if in_sysdiag:
            sysdiag.add_file(in_sysdiag, data)
    return {"ios-backup": _check(backup.build(), base / "out-backup"),
            "ios-fs": _check(dump.build_folder(base / "dump"), base / "out-fs"),
            "sysdiagnose": _check(sysdiag.build(base), base / "out-sysdiagnose")}


def _alarms(result: RunResult, artifact: str | None = None) -> list[Detection]:
    return [d for d in result.detections if d.category == COMPROMISE and d.severity.rank >= Severity.MEDIUM.rank
            and (artifact is None or d.artifact == artifact)]


def _placed(name: str) -> list[str]:
    in_backup, in_dump, in_sysdiag, _ = SAMPLES[name]
    return [kind for kind, where in (("ios-backup", in_backup), ("ios-fs", in_dump), ("sysdiagnose", in_sysdiag))
            if where]


@pytest.mark.parametrize("name", list(SAMPLES))
def test_real_sample_raises_no_alarm(name: str, results: dict[str, RunResult]) -> None:
    artifact = SAMPLES[name][3]
    for kind in _placed(name):
        result = results[kind]
        assert result.run.kind == kind
        errors = {k: v.error for k, v in result.run.artifacts.items() if v.status == "error"}
        assert errors == {}, (kind, errors)
        if artifact is not None:
            assert result.run.artifacts[artifact].records > 0, (kind, artifact, result.run.artifacts[artifact])
        assert _alarms(result, artifact) == [], (kind, name)


@pytest.mark.parametrize("kind", ["ios-backup", "ios-fs", "sysdiagnose"])
def test_whole_acquisitions_raise_no_alarm(kind: str, results: dict[str, RunResult]) -> None:
    assert [(d.artifact, d.rule, d.message) for d in _alarms(results[kind])] == []
    assert results[kind].run.verdict.state in ("clean", "incomplete")  # a sysdiagnose without shutdown.log


def _by_rule(result: RunResult, rule: str) -> list[Detection]:
    return [d for d in result.detections if d.rule == rule]


def test_real_history_typo_redirect_is_low_context(results: dict[str, RunResult]) -> None:
    """``http://foxnew.com`` redirected at once to ``www.foxnews.com``: a brand's typo domain, LOW context."""
    for kind in ("ios-backup", "ios-fs"):
        [redirect] = _by_rule(results[kind], "ios.safari_fast_redirect")
        assert (redirect.severity, redirect.category) == (Severity.LOW, "context")
        assert "foxnew.com redirected to www.foxnews.com" in redirect.message


def test_real_datausage_names(results: dict[str, RunResult]) -> None:
    result = results["ios-backup"]
    notes = _by_rule(result, "ios.datausage_deleted_process")
    assert [(d.severity, d.category) for d in notes] in ([], [(Severity.LOW, "context")])
    records = _records(result, "ios.datausage")
    uuid_rows = [r for r in records if (r.get("procname") or "").startswith("1FB47783-A2FE-47D9-B256-DF50EF44BBA4/")]
    assert uuid_rows and all(r.get("process") is None and r.get("bundle_id") for r in uuid_rows)
    spotify = [r for r in records if r.get("procname") == "mDNSResponder/com.spotify.client"]
    assert spotify and spotify[0]["process"] == "mDNSResponder" and spotify[0]["bundle_id"] == "com.spotify.client"


def test_real_netusage_relayed_names(results: dict[str, RunResult]) -> None:
    records = _records(results["ios-fs"], "ios.fs.netusage")
    relayed = [r for r in records if r.get("procname") == "terminusd/locationd"]
    assert relayed and relayed[0]["process"] == "terminusd" and relayed[0]["delegate"] == "locationd"


def _records(result: RunResult, artifact: str) -> list[dict[str, Any]]:
    import json

    lines = (result.output / "records" / f"{artifact}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]
