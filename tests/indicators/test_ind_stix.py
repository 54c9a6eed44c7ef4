from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from spyscan.errors import IndicatorError
from spyscan.indicators.stix import parse_bundle_bytes, parse_objects


def _parse(doc: Any) -> Any:
    return parse_bundle_bytes(json.dumps(doc).encode(), "t.stix2")


def test_relationship_attribution(make_bundle: Callable[..., dict[str, Any]]) -> None:
    parsed = _parse(make_bundle(["[domain-name:value='a.com']"], "Pegasus"))
    assert parsed.entries[0].malware == "Pegasus"
    assert parsed.families == ["Pegasus"]
    assert parsed.indicator_objects == 1


def test_single_malware_attributes_unlinked() -> None:
    objects = [
        {"type": "malware", "id": "malware--1", "name": "Solo"},
        {"type": "indicator", "id": "indicator--1", "pattern": "[domain-name:value='a.com']"},
    ]
    assert parse_objects(objects).entries[0].malware == "Solo"


def test_several_malware_unlinked_is_none() -> None:
    objects = [
        {"type": "malware", "id": "malware--1", "name": "A"},
        {"type": "malware", "id": "malware--2", "name": "B"},
        {"type": "indicator", "id": "indicator--1", "pattern": "[domain-name:value='a.com']"},
        {"type": "indicator", "id": "indicator--2", "pattern": "[domain-name:value='b.com']"},
        {"type": "relationship", "relationship_type": "indicates", "source_ref": "indicator--2",
         "target_ref": "malware--2"},
    ]
    entries = parse_objects(objects).entries
    assert [e.malware for e in entries] == [None, "B"]


def test_report_attribution() -> None:
    objects = [
        {"type": "report", "id": "report--1", "name": "Campaign X", "object_refs": ["indicator--1"]},
        {"type": "indicator", "id": "indicator--1", "pattern": "[domain-name:value='a.com']"},
        {"type": "indicator", "id": "indicator--2", "pattern": "[domain-name:value='b.com']"},
    ]
    entries = parse_objects(objects).entries
    assert [e.malware for e in entries] == ["Campaign X", None]


def test_report_with_one_malware_uses_malware_name() -> None:
    objects = [
        {"type": "malware", "id": "malware--1", "name": "Fam"},
        {"type": "malware", "id": "malware--2", "name": "Other"},
        {"type": "report", "id": "report--1", "name": "R", "object_refs": ["indicator--1", "malware--1"]},
        {"type": "indicator", "id": "indicator--1", "pattern": "[domain-name:value='a.com']"},
    ]
    assert parse_objects(objects).entries[0].malware == "Fam"


def test_tolerant_and_unsupported_entries() -> None:
    objects: list[Any] = [
        "not an object",
        {"type": "indicator"},  # no id, no pattern
        {"type": "indicator", "id": "indicator--y", "pattern": "rule x {}", "pattern_type": "yara"},
        {"type": "indicator", "id": "indicator--r", "pattern": "[domain-name:value='r.com']", "revoked": True},
        {"type": "indicator", "id": "indicator--a", "pattern": "[domain-name:value='a' AND file:name='b']"},
        {"type": "indicator", "id": "indicator--ok", "pattern": "[domain-name:value='ok.com']", "name": "N"},
        {"type": "indicator", "id": "indicator--ok", "pattern": "[domain-name:value='ok.com']", "name": "N"},
    ]
    doc = {"type": "bundle", "objects": objects}
    parsed = _parse(doc)
    assert [(e.stix_id, e.value, e.name) for e in parsed.entries] == [("indicator--ok", "ok.com", "N")]
    reasons = {u.stix_id: u.reason for u in parsed.unsupported}
    assert reasons["indicator--y"] == "pattern type 'yara' is not supported"
    assert reasons["indicator--r"] == "indicator is revoked"
    assert "AND" in reasons["indicator--a"]
    assert any(k.startswith("(indicator without id") for k in reasons)


def test_or_pattern_yields_one_entry_per_comparison() -> None:
    doc = {"type": "bundle", "objects": [
        {"type": "indicator", "id": "indicator--1",
         "pattern": "[domain-name:value='a.com' OR url:value='http://b.com/?q=1']"}]}
    parsed = _parse(doc)
    assert [(e.type, e.value, e.stix_id) for e in parsed.entries] == [
        ("domain-name:value", "a.com", "indicator--1"),
        ("url:value", "http://b.com/?q=1", "indicator--1"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"type": "bundle", "objects": [}', "invalid JSON at line 1, column"),
        (b"[]", "not a STIX 2 bundle"),
        (b'{"type": "indicator"}', "not a STIX 2 bundle"),
        (b'{"type": "bundle", "objects": 3}', "not a list"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_not_a_bundle(data: bytes, message: str) -> None:
    with pytest.raises(IndicatorError, match=message) as info:
        parse_bundle_bytes(data, "feed.json")
    assert str(info.value).startswith("feed.json")
    assert "\n" not in str(info.value)


def test_bom_and_missing_objects() -> None:
    parsed = parse_bundle_bytes(b'\xef\xbb\xbf{"type": "bundle"}', "x")
    assert parsed.entries == [] and parsed.indicator_objects == 0
