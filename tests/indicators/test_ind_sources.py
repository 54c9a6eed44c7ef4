from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from spyscan.errors import IndicatorError
from spyscan.indicators.sources import load_indicator_set


def test_explicit_file(write_bundle: Callable[..., Path]) -> None:
    path = write_bundle("a.stix2", ["[domain-name:value='a.com']", "[domain-name:value='b.com' AND file:name='x']"])
    result = load_indicator_set([path], bundled=False, user=False)
    assert [(i.value, i.malware, i.file) for i in result.indicators] == [("a.com", "TestFamily", str(path))]
    assert len(result.unsupported) == 1 and result.unsupported[0].file == str(path)
    (entry,) = result.files
    assert (entry.source, entry.count, entry.families) == ("cli", 1, ("TestFamily",))


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(IndicatorError, match=r"not found: .*nope\.stix2"):
        load_indicator_set([tmp_path / "nope.stix2"], bundled=False, user=False)


def test_not_a_bundle_raises(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[1, 2]")
    with pytest.raises(IndicatorError, match=r"x\.json: not a STIX 2 bundle"):
        load_indicator_set([path], bundled=False, user=False)


def test_folder_scan_records_errors(tmp_path: Path, write_bundle: Callable[..., Path]) -> None:
    write_bundle("feeds/one.stix2", ["[domain-name:value='a.com']"])
    write_bundle("feeds/sub/two.json", ["[domain-name:value='b.com']"])
    (tmp_path / "feeds" / "broken.json").write_text("{oops")
    (tmp_path / "feeds" / "notes.txt").write_text("ignored")
    result = load_indicator_set([tmp_path / "feeds"], bundled=False, user=False)
    assert sorted(i.value for i in result.indicators) == ["a.com", "b.com"]
    assert len(result.errors) == 1 and "broken.json: invalid JSON at line 1" in result.errors[0]


def test_same_content_loaded_once(tmp_path: Path, write_bundle: Callable[..., Path]) -> None:
    a = write_bundle("a.stix2", ["[domain-name:value='a.com']"])
    b = tmp_path / "copy.stix2"
    b.write_bytes(a.read_bytes())
    result = load_indicator_set([a, b], bundled=False, user=False)
    assert len(result.indicators) == 1 and len(result.files) == 1


def test_env_paths(monkeypatch: pytest.MonkeyPatch, write_bundle: Callable[..., Path]) -> None:
    a = write_bundle("a.stix2", ["[domain-name:value='a.com']"])
    b = write_bundle("b.stix2", ["[domain-name:value='b.com']"])
    monkeypatch.setenv("SPYSCAN_IOCS", os.pathsep.join([str(a), str(b)]))
    result = load_indicator_set([], bundled=False, user=False)
    assert [f.source for f in result.files] == ["env", "env"]
    assert load_indicator_set([], bundled=False, user=False, env=False).files == []
    monkeypatch.setenv("SPYSCAN_IOCS", str(a.parent / "missing.stix2"))
    with pytest.raises(IndicatorError, match="SPYSCAN_IOCS"):
        load_indicator_set([], bundled=False, user=False)


def test_cache_is_private_and_reused(tmp_path: Path, write_bundle: Callable[..., Path]) -> None:
    path = write_bundle("a.stix2", ["[domain-name:value='a.com']"])
    first = load_indicator_set([path], bundled=False, user=False)
    cache = tmp_path / "cache"
    entries = list((cache / "indicators").iterdir())
    assert len(entries) == 1
    assert stat.S_IMODE(entries[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((cache / "indicators").stat().st_mode) == 0o700
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert load_indicator_set([path], bundled=False, user=False) == first
    entries[0].write_bytes(b"garbage")  # a corrupt cache entry is ignored
    assert load_indicator_set([path], bundled=False, user=False) == first


def test_bundled_and_user_set(tmp_path: Path, make_bundle: Callable[..., dict[str, object]]) -> None:
    bundled = load_indicator_set([], user=False)
    assert len(bundled.files) == 17 and {f.source for f in bundled.files} == {"bundled"}
    assert len(bundled.indicators) > 10_000
    name = "mvt-project/mvt-indicators/candiru/candiru.stix2"
    assert any(f.file == name for f in bundled.files)
    # an updated user set replaces the bundled file of the same name
    root = tmp_path / "data" / "iocs"
    (root / name).parent.mkdir(parents=True)
    (root / name).write_text(json.dumps(make_bundle(["[domain-name:value='new-candiru.example']"], "Candiru")))
    (root / "manifest.json").write_text(json.dumps({"feeds": [{"name": "Candiru", "file": name}]}))
    merged = load_indicator_set([])
    files = {(f.file, f.source) for f in merged.files}
    assert (name, "user") in files and (name, "bundled") not in files
    assert [i.value for i in merged.indicators if i.file == name] == ["new-candiru.example"]
