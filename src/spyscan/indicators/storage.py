"""Where spyscan keeps indicator data and caches; everything created with owner-only permissions."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs

ENV_CACHE_DIR = "SPYSCAN_CACHE_DIR"
ENV_DATA_DIR = "SPYSCAN_DATA_DIR"


def cache_dir() -> Path:
    """The per-user cache folder (``SPYSCAN_CACHE_DIR`` overrides the platform default)."""
    override = os.environ.get(ENV_CACHE_DIR)
    return Path(override) if override else platformdirs.user_cache_path("spyscan")


def data_dir() -> Path:
    """The per-user data folder (``SPYSCAN_DATA_DIR`` overrides the platform default)."""
    override = os.environ.get(ENV_DATA_DIR)
    return Path(override) if override else platformdirs.user_data_path("spyscan")


def user_iocs_dir() -> Path:
    """The folder holding the indicator set written by ``spyscan iocs update``."""
    return data_dir() / "iocs"


def make_private_dir(path: Path) -> Path:
    """Create ``path`` and missing parents with mode 0o700; ``path`` itself is made owner-only."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically with mode 0o600, creating an owner-only parent folder."""
    make_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
