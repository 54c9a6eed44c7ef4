"""Shared fixtures: every test gets private cache/data folders and no SPYSCAN_IOCS."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spyscan.indicators.model import Indicator


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPYSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SPYSCAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SPYSCAN_IOCS", raising=False)


def _make_bundle(patterns: list[str], family: str | None = "TestFamily", **extra: Any) -> dict[str, Any]:
    """A bundle with one malware object (if ``family``) and one indicator per pattern."""
    objects: list[dict[str, Any]] = []
    if family:
        objects.append({"type": "malware", "id": "malware--1", "name": family})
    for i, pattern in enumerate(patterns):
        objects.append({"type": "indicator", "id": f"indicator--{i}", "pattern": pattern, **extra})
        if family:
            objects.append(
                {"type": "relationship", "relationship_type": "indicates",
                 "source_ref": f"indicator--{i}", "target_ref": "malware--1"}
            )
    return {"type": "bundle", "id": "bundle--1", "objects": objects}


@pytest.fixture
def write_bundle(tmp_path: Path) -> Callable[..., Path]:
    def write(name: str, patterns: list[str], family: str | None = "TestFamily") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(_make_bundle(patterns, family)), encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_bundle() -> Callable[..., dict[str, Any]]:
    return _make_bundle


def _ind(kind: str, value: str, stix_id: str = "indicator--x") -> Indicator:
    return Indicator(type=kind, value=value, stix_id=stix_id, malware="M", file="test.stix2")


@pytest.fixture
def ind() -> Callable[..., Indicator]:
    return _ind
