"""A ``file:name`` indicator written as a path matches that path, never every file with its last name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.sources import load_indicator_set
from spyscan.observables import Obs


def test_file_name_given_as_a_path(write_bundle: Callable[..., Path]) -> None:
    # the shape of MVT's own test feed: file names written as '/var/foobar/txt'
    feed = write_bundle("test.stix2", ["[file:name='/var/foobar/txt']", "[file:name='roleaccountd.plist']"])
    index = IndicatorIndex.build(load_indicator_set([feed], bundled=False).indicators)
    assert index.match(Obs.FILE_NAME, "txt") == []
    assert index.match(Obs.FILE_PATH, "/private/var/mobile/Library/txt") == []
    assert index.match(Obs.FILE_PATH, "/var/foobar/txtx") == []
    assert [m.quality for m in index.match(Obs.FILE_PATH, "/private/var/foobar/txt")] == ["exact"]
    assert [m.quality for m in index.match(Obs.FILE_PATH, "/var/foobar/txt/inner")] == ["prefix"]
    # a bare name is compared with whole names only
    assert [m.observed for m in index.match(Obs.FILE_NAME, "roleaccountd.plist")] == ["roleaccountd.plist"]
    assert [m.observed for m in index.match(Obs.FILE_PATH, "/var/db/roleaccountd.plist")] == ["roleaccountd.plist"]
    assert index.match(Obs.FILE_NAME, "xroleaccountd.plist") == []
    assert index.match(Obs.FILE_NAME, "roleaccountd.plist.bak") == []
