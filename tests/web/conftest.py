"""Fixtures: a real `spyscan serve` (subprocess) over a folder of generated acquisitions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from spyscan.demo import write_androidqf_sample
from tests.web import live

NEW_APP = "org.example.notes"  # in the demo sample; matched only by the indicator file a test adds
NEW_APK = "2" * 64  # the SHA-256 of that app's APK in the demo sample: one finding (the app id is two: app, process)


def user_env(base: Path) -> dict[str, str]:
    return {"SPYSCAN_DATA_DIR": str(base / "data"), "SPYSCAN_CACHE_DIR": str(base / "cache"),
            "SPYSCAN_STORE": str(base / "unused-store.sqlite"), "SPYSCAN_IOCS": ""}


def big_sample(folder: Path, files: int) -> Path:
    """The demo acquisition with ``files`` more entries in files.json (a check that takes a few seconds)."""
    write_androidqf_sample(folder)
    entries = [{"path": f"/sdcard/DCIM/img{i:07d}.jpg", "size": 1000 + i, "mode": "-rw-rw----",
                "modified_time": "2024-05-30T18:02:11Z", "sha256": f"{i:064x}"} for i in range(files)]
    (folder / "files.json").write_text(json.dumps(entries), encoding="utf-8")
    return folder


def stix_file(path: Path, family: str, patterns: list[tuple[str, str]]) -> Path:
    from tests.cases.conftest import stix_bundle

    path.write_text(json.dumps(stix_bundle(family, patterns)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[live.Server, Path]]:
    """A server whose only root holds two demo acquisitions; yields it with its base folder."""
    base = tmp_path_factory.mktemp("web")
    root = base / "root"
    write_androidqf_sample(root / "phone-a")
    write_androidqf_sample(root / "phone-b")
    server = live.start(base, [root], env=user_env(base))
    try:
        yield server, base
    finally:
        server.stop()
