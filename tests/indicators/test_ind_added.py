"""Indicator files a user adds (`spyscan iocs add`, or the web app): validated first, kept with their
provenance, loaded by every check and hunt, scoped to the platform declared for them."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from spyscan.commands.iocs import iocs
from spyscan.demo import write_androidqf_sample
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.indicators.added import added_dir, read_manifest
from spyscan.indicators.sources import load_indicator_set


def test_a_valid_file_is_added_with_its_provenance(write_bundle: Callable[..., Path]) -> None:
    path = write_bundle("new-investigation.stix2", ["[domain-name:value = 'c2.example.net']",
                                                     "[app:id = 'com.bad.spy']", "[process:name = 'badd']"])
    result = CliRunner().invoke(iocs, ["add", str(path), "--platform", "android"])
    assert result.exit_code == 0, result.output
    assert "added as" in result.output and "platform: android" in result.output
    (entry,) = read_manifest()
    assert (entry.name, entry.platform, entry.indicators, entry.families) == (
        "new-investigation.stix2", "android", 3, ["TestFamily"])
    stored = added_dir() / entry.file
    assert stored.read_bytes() == path.read_bytes()
    for item in (added_dir(), stored, added_dir() / "added.json"):
        assert stat.S_IMODE(os.stat(item).st_mode) & 0o077 == 0
    loaded = load_indicator_set([], bundled=False)
    assert [(f.source, f.file) for f in loaded.files] == [("added", str(stored))]
    platforms = {i.value: i.platform for i in loaded.indicators}
    # declared android: like a known feed's platform, network values stay valid everywhere
    assert platforms == {"c2.example.net": None, "com.bad.spy": "android", "badd": "android"}
    listing = CliRunner().invoke(iocs, ["list", "--no-bundled-iocs"])
    assert "[added]" in listing.output and "added as new-investigation.stix2" in listing.output
    again = CliRunner().invoke(iocs, ["add", str(path)])  # the same content: added once
    assert again.exit_code == 0 and len(read_manifest()) == 1


def test_a_file_with_a_problem_is_refused(write_bundle: Callable[..., Path], tmp_path: Path) -> None:
    bad = write_bundle("bad.stix2", ["[domain-name:value = 'ok.example']", "[ipv4-addr:value = '999.1.1.1']"])
    result = CliRunner().invoke(iocs, ["add", str(bad)])
    assert result.exit_code == 1 and "was not added" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("{nope", encoding="utf-8")
    assert CliRunner().invoke(iocs, ["add", str(broken)]).exit_code == 1
    assert read_manifest() == [] and not added_dir().exists()


def test_checks_use_added_files_on_their_platform_only(write_bundle: Callable[..., Path], tmp_path: Path) -> None:
    sample = write_androidqf_sample(tmp_path / "acq")
    ios_only = write_bundle("ios-only.stix2", ["[app:id = 'org.example.notes']"], family="IosSpy")
    android = write_bundle("android.stix2", ["[process:name = 'system_server']"], family="DroidSpy")
    assert CliRunner().invoke(iocs, ["add", str(ios_only), "--platform", "ios"]).exit_code == 0
    assert CliRunner().invoke(iocs, ["add", str(android), "--platform", "android"]).exit_code == 0
    result = check(sample, "androidqf", RunOptions(output=tmp_path / "out", indicators=IndicatorOptions(bundled=False),
                                                   jobs=1))
    families = {d.indicator.malware for d in result.detections if d.indicator is not None}
    assert families == {"DroidSpy"}  # the iOS-declared app id is never matched on an Android acquisition
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert sorted(f["source"] for f in run["indicators"]) == ["added", "added"]
