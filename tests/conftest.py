"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_path() -> Path:
    """The workplace's shared folder (sample acquisitions, public indicator files)."""
    env = os.environ.get("SPYSCAN_SHARED")
    return Path(env) if env else (REPO / ".." / "shared").resolve()


@pytest.fixture
def shared_dir() -> Path:
    path = shared_path()
    if not path.is_dir():
        pytest.skip(f"shared folder not present at {path} (set SPYSCAN_SHARED)")
    return path


@pytest.fixture
def mvt_samples(shared_dir: Path) -> Path:
    path = shared_dir / "fixtures" / "mvt-samples"
    if not path.is_dir():
        pytest.skip(f"sample acquisitions not present at {path}")
    return path


@pytest.fixture
def public_iocs(shared_dir: Path) -> Path:
    path = shared_dir / "iocs"
    if not path.is_dir():
        pytest.skip(f"public indicator files not present at {path}")
    return path


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's cache/data/store while testing."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("SPYSCAN_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("SPYSCAN_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("SPYSCAN_STORE", str(base / "store" / "cases.sqlite"))
    monkeypatch.delenv("SPYSCAN_IOCS", raising=False)
