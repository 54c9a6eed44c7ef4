"""SIGINT and SIGTERM during a real ``python -m spyscan check``: the private work folder is removed and
the process exits cleanly (no traceback)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIG = 6 << 30  # a sparse input: costs nothing to create, seconds to hash


def _slow_backup(path: Path) -> Path:
    """A valid plain .ab header followed by gigabytes of (sparse) zeros: the input hash takes a while."""
    with path.open("wb") as fh:
        fh.write(b"ANDROID BACKUP\n5\n0\nnone\n")
        fh.truncate(BIG)
    return path


def _wait_for(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("signum", "exit_code"), [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_signal_removes_the_work_folder(signum: int, exit_code: int, tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    backup = _slow_backup(evidence / "backup.ab")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp), SPYSCAN_CACHE_DIR=str(tmp_path / "cache"),
               SPYSCAN_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO / "src"))
    env.pop("SPYSCAN_DEBUG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "spyscan", "check", str(backup), "-o", str(tmp_path / "out"), "--no-bundled-iocs",
         "--jobs", "1", "--quiet"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
        # a shell ignores SIGINT in background jobs and children inherit that: give the check the
        # default disposition, as a terminal user's run has, whatever way the tests were started
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        started = _wait_for(lambda: any(p.name.startswith("spyscan-work-") for p in tmp.iterdir()), 60)
        assert started, "the work folder never appeared"
        assert proc.poll() is None, "the check finished before the signal could be sent"
        proc.send_signal(signum)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = err.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert proc.returncode == exit_code, stderr
    assert [p.name for p in tmp.iterdir()] == [], "the work folder was left behind"
    assert backup.stat().st_size == BIG and sorted(p.name for p in evidence.iterdir()) == ["backup.ab"]
