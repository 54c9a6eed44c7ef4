"""Run a full ``check`` of a built acquisition with a private temp folder and the secret in an env var."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest

from spyscan import engine
from spyscan.evidence.secrets import Secrets

from .acquisitions import Acquisition

PASSWORD_ENV = "SPYSCAN_ROBUSTNESS_PW"


def tree_snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every file below ``root``: ``relative name -> (size, mtime_ns, sha256)`` (so -wal/-shm presence too)."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            found[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns,
                                                        hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def private_tempdir(base: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``tempfile`` at a folder of our own, to see exactly what spyscan leaves there."""
    tmp = base / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("TMPDIR", str(tmp))
    return tmp


def run_check(acq: Acquisition, out: Path, monkeypatch: pytest.MonkeyPatch, password: str | None = None,
              jobs: int = 1) -> engine.RunResult:
    secret = password if password is not None else acq.password
    if secret is not None:
        monkeypatch.setenv(PASSWORD_ENV, secret)
    secrets = Secrets(password_env=PASSWORD_ENV if secret is not None else None, identity=acq.identity,
                      interactive=False)
    options = engine.RunOptions(output=out, indicators=engine.IndicatorOptions(paths=[], bundled=False), jobs=jobs,
                                command=["spyscan", "check", str(acq.path)], secrets=secrets)
    return engine.check(acq.path, acq.kind, options)
