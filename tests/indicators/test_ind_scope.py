"""Indicators are scoped to a platform at load: a Pegasus (iOS) process name never matches an Android daemon."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.builders.androidqf import build_androidqf
from tests.core.stix_helpers import write_bundle

from spyscan.detection.heuristics.base import all_rules
from spyscan.detection.model import Severity
from spyscan.detection.pipeline import RecordPipeline
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.engine.run import load_indicators
from spyscan.indicators import bundled_set
from spyscan.indicators.scope import path_platform, profile_for
from spyscan.indicators.sources import load_indicator_set
from spyscan.observables import Obs
from spyscan.records.base import SourceRef
from spyscan.records.ios_system import DataUsageRow

PEGASUS = "AmnestyTech__investigations/2021-07-18_nso/pegasus.stix2"


def test_every_bundled_feed_has_a_profile() -> None:
    assert all(profile_for(bundled_set.relative_name(p)) is not None for p in bundled_set.feed_files())


def test_profiles_recognise_copies_of_the_public_files(public_iocs: Path) -> None:
    profile = profile_for(str(public_iocs / PEGASUS))
    assert profile is not None and (profile.platform, profile.threat) == ("ios", "mercenary")
    echap = profile_for(str(public_iocs / "AssoEchap__stalkerware-indicators/generated/stalkerware.stix2"))
    assert echap is not None and (echap.platform, echap.threat) == ("android", "stalkerware")
    assert profile_for("/home/me/my-own-feed.stix2") is None


def test_pegasus_process_names_are_ios_domains_any(public_iocs: Path) -> None:
    loaded = load_indicator_set([public_iocs / PEGASUS], bundled=False)
    by_type = {(i.type, i.platform) for i in loaded.indicators}
    assert by_type == {("process:name", "ios"), ("file:name", "ios"), ("domain-name:value", None),
                       ("email-addr:value", None)}
    assert {i.threat for i in loaded.indicators} == {"mercenary"}
    assert loaded.files[0].platforms == {"any": 1467, "ios": 82} and loaded.files[0].threat == "mercenary"


@pytest.mark.parametrize("bundled", [True, False])
def test_gatekeeperd_matches_on_ios_only(public_iocs: Path, bundled: bool) -> None:
    options = IndicatorOptions(paths=[] if bundled else [public_iocs / PEGASUS], bundled=bundled)
    assert load_indicators(options, "android").matcher.match(Obs.PROCESS, "gatekeeperd") == []
    hits = load_indicators(options, "ios").matcher.match(Obs.PROCESS, "gatekeeperd")
    assert [(h.indicator.malware, h.indicator.platform) for h in hits] == [("Pegasus", "ios")]


def test_gatekeeperd_on_an_android_process_list_raises_nothing(tmp_path: Path, public_iocs: Path) -> None:
    acquisition = build_androidqf(tmp_path / "acq", processes=[("system", 901, 1, "gatekeeperd")])
    options = RunOptions(output=tmp_path / "out", jobs=1,
                         indicators=IndicatorOptions(paths=[public_iocs / PEGASUS], bundled=True))
    result = check(acquisition, None, options)
    assert [d for d in result.detections if d.indicator and d.indicator.value == "gatekeeperd"] == []
    assert result.run.verdict is not None and result.run.verdict.state != "traces"


def test_gatekeeperd_on_ios_still_matches() -> None:
    loaded = load_indicators(IndicatorOptions(paths=[], bundled=True), "ios")
    pipeline = RecordPipeline("ios.datausage", loaded.matcher, list(all_rules().values()))
    pipeline.feed(DataUsageRow(source=SourceRef(file="DataUsage.sqlite", table="ZPROCESS", rowid=7),
                               process="gatekeeperd"))
    found = [d for d in pipeline.finish() if d.kind == "indicator"]
    assert [(d.indicator.value, d.severity) for d in found if d.indicator] == [("gatekeeperd", Severity.HIGH)]


@pytest.mark.parametrize(("path", "platform"), [
    ("/data/local/tmp/wd/fs.db", "android"), ("/private/var/tmp/hooker", "ios"), ("/var/db/x", "ios"),
    ("Library/Preferences/com.apple.photolibraryd.plist", "ios"), ("/tmp/kusama.txt", None),
    ("/System/Library/x", "ios"), ("/system/bin/x", "android"),
])
def test_paths_are_scoped_by_their_shape(path: str, platform: str | None) -> None:
    assert path_platform(path) == platform


def test_predator_paths_split_by_platform() -> None:
    loaded = load_indicator_set([], user=False, env=False)
    predator = {i.value: i.platform for i in loaded.indicators
                if i.file.endswith("intellexa_predator/predator.stix2") and i.type == "file:path"}
    assert predator["/data/local/tmp/wd/pred.so"] == "android"
    assert predator["/private/var/tmp/hooker"] == "ios"
    assert predator["/tmp/kusama.txt"] is None


def _process_hits(tmp_path: Path, feed: Path, path_of: str | None) -> list[tuple[str, Severity, str]]:
    processes = [("system", 901, 1, "gatekeeperd")]
    acquisition = build_androidqf(tmp_path / "acq", processes=processes)
    if path_of is not None:  # the collector's JSON records where the process runs from
        text = (acquisition / "processes.txt").read_text().replace('"/system/bin/gatekeeperd"', f'"{path_of}"')
        (acquisition / "processes.txt").write_text(text)
        (acquisition / "hashes.csv").unlink()
    options = RunOptions(output=tmp_path / "out", jobs=1, indicators=IndicatorOptions(paths=[feed], bundled=False))
    result = check(acquisition, None, options)
    return [(d.artifact, d.severity, d.message) for d in result.detections
            if d.indicator is not None and d.indicator.value == "gatekeeperd"]


def test_system_name_at_its_system_location_is_info(tmp_path: Path) -> None:
    """A feed of unknown platform listing gatekeeperd: the AOSP daemon at /system/bin is INFO, with the reason."""
    feed = write_bundle(tmp_path / "own-feed.stix2", "Unknown", ["[process:name = 'gatekeeperd']"])
    hits = _process_hits(tmp_path, feed, None)
    located = [h for h in hits if "/system/bin/gatekeeperd" in h[2]]
    assert located and all(severity is Severity.INFO for _, severity, _ in located)
    assert "genuine android system process" in located[0][2]


def test_system_name_elsewhere_keeps_its_severity(tmp_path: Path) -> None:
    feed = write_bundle(tmp_path / "own-feed.stix2", "Unknown", ["[process:name = 'gatekeeperd']"])
    hits = _process_hits(tmp_path, feed, "/data/local/tmp/gatekeeperd")
    assert hits and max(severity.rank for _, severity, _ in hits) == Severity.HIGH.rank
