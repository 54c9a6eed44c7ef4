from __future__ import annotations

import hashlib
import json

from spyscan.indicators import bundled_set
from spyscan.indicators.index import OBS_FOR_TYPE, IndicatorIndex
from spyscan.indicators.sources import load_indicator_set


def test_manifest_matches_shipped_files() -> None:
    manifest = json.loads(bundled_set.MANIFEST_PATH.read_text(encoding="utf-8"))
    listed = {f["local_path"]: f for f in manifest["files"]}
    shipped = {f"feeds/{bundled_set.relative_name(p)}": p for p in bundled_set.feed_files()}
    assert set(listed) == set(shipped) and len(shipped) == 17
    for local, path in shipped.items():
        entry = listed[local]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), local
        assert len(entry["snapshot_commit"]) == 40 and len(entry["last_commit_touching_file"]) == 40
        assert entry["licence"] and entry["feed"] and entry["families"]
        assert local == f"feeds/{entry['repository']}/{entry['path_in_repository']}"


def test_compiled_set_is_fresh() -> None:
    compiled = bundled_set.load_compiled()
    fresh = bundled_set.compile_feeds()
    assert compiled == fresh, "run tools/build_bundled_iocs.py to regenerate bundled/compiled.msgpack"
    manifest = bundled_set.read_manifest()
    assert compiled.set_version == manifest["version"]
    counts = {f["local_path"]: f["indicators"] for f in manifest["files"]}
    assert counts == {f"feeds/{f.file}": len(f.parsed.entries) for f in compiled.files}


def test_every_bundled_indicator_matches_itself() -> None:
    indicators = load_indicator_set([], user=False, env=False).indicators
    index = IndicatorIndex.build(indicators)
    assert index.skipped == []
    missing = [
        i for i in indicators if not any(m.indicator == i for m in index.match(OBS_FOR_TYPE[i.type], i.value))
    ]
    assert missing == []
