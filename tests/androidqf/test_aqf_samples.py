"""The public androidqf sample acquisition: parses without errors and yields what its files imply.

Expectations were derived by reading the sample files:
* packages.json: com.whatsapp has a "null" installer (third party); app.revanced.manager.flutter and
  org.fdroid.fdroid came through the package installer; org.nuclearfog.apollo from F-Droid (info);
  com.google.android.youtube and the com.malware.* entries are flagged as system apps (not sideloaded);
* root_binaries.json lists four root binaries; settings_random.txt keeps package verification on and declines
  Samsung's error log sharing (information only);
* dumpsys.txt: com.facebook.katana receives PHONE_STATE (the other receivers belong to the platform);
  appops allows org.mozilla.firefox to REQUEST_INSTALL_PACKAGES, never used; no accessibility service is
  enabled; the adb section trusts one key (user@linux); platform_compat names org.article19.circulo.next.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spyscan.artifacts.base import artifacts_for
from spyscan.engine import RunOptions, check
from spyscan.errors import ArtifactNotFound
from tests.androidqf.helpers import collect, detections, open_evidence, rule_hits


@pytest.fixture
def sample(mvt_samples: Path) -> Path:
    path = mvt_samples / "androidqf"
    if not path.is_dir():
        pytest.skip(f"androidqf sample not present at {path}")
    return path


def test_every_artifact_parses_the_sample(sample: Path, tmp_path: Path) -> None:
    evidence = open_evidence(sample, tmp_path / "work")
    counts = {}
    for artifact in artifacts_for("androidqf"):
        try:
            records, _ = collect(evidence, artifact.id)
        except ArtifactNotFound:
            continue
        counts[artifact.id] = len(records)
    assert counts["android.androidqf.packages"] == 7
    assert counts["android.androidqf.ps"] == 15
    assert counts["android.androidqf.root_binaries"] == 4
    assert counts["android.androidqf.files"] == 3
    assert counts["android.dumpsys.packages"] == 2
    assert counts["android.dumpsys.accessibility"] == 4


def _messages(evidence, artifact_id: str, rule: str) -> list[str]:  # type: ignore[no-untyped-def]
    records, _ = collect(evidence, artifact_id)
    return sorted(d.message for d in rule_hits(detections(artifact_id, records), rule))


def test_sample_detections(sample: Path, tmp_path: Path) -> None:
    evidence = open_evidence(sample, tmp_path / "work")
    sideloaded = _messages(evidence, "android.androidqf.packages", "android.sideloaded_package")
    assert [m.split()[0] for m in sideloaded] == [
        "app.revanced.manager.flutter", "com.whatsapp", "org.fdroid.fdroid", "org.nuclearfog.apollo"]
    assert len(_messages(evidence, "android.androidqf.root_binaries", "android.root_binary")) == 4
    # samsung_errorlog_agree=0: the owner declined to share error logs with Samsung, information only
    settings = _messages(evidence, "android.androidqf.settings", "android.risky_setting")
    assert settings == ["error logs are not shared with Samsung (a privacy choice) (samsung_errorlog_agree=0)"]
    assert _messages(evidence, "android.dumpsys.receivers", "android.interception_receiver") == [
        "com.facebook.katana receives call state (incoming call numbers) "
        "(com.facebook.katana/com.facebook.confirmation.util.BackgroundVoiceCallReceiver)"]
    assert _messages(evidence, "android.dumpsys.appops", "android.install_packages_appop") == [
        "org.mozilla.firefox is allowed to install apps"]
    assert _messages(evidence, "android.dumpsys.accessibility", "android.accessibility_enabled") == []
    keys, _ = collect(evidence, "android.dumpsys.adb")
    assert [k.comment for k in keys] == ["user@linux"]  # type: ignore[attr-defined]
    compat, _ = collect(evidence, "android.dumpsys.platform_compat")
    assert "org.article19.circulo.next" in {c.package for c in compat}  # type: ignore[attr-defined]


def test_sample_end_to_end(sample: Path, tmp_path: Path) -> None:
    result = check(sample, "androidqf", RunOptions(output=tmp_path / "out", jobs=1))
    statuses = {k: v.status for k, v in result.run.artifacts.items() if "@" not in k}
    assert "error" not in statuses.values(), {k: v.error for k, v in result.run.artifacts.items() if v.error}
    # the nested backup.ab was handed to the android-backup kind and analysed as its own input
    assert any(k.endswith("@android-backup:backup.ab") for k in result.run.artifacts)
    assert statuses["android.androidqf.packages"] == "ok"
    rules = {d.rule for d in result.detections if d.kind == "heuristic"}
    assert {"android.sideloaded_package", "android.root_binary", "android.interception_receiver"} <= rules
