"""Never fill a disk (issue 17): refuse a check that cannot fit, stop one cleanly before the disk is full.

Three ways of making a disk small, from the most real to the most portable: a small tmpfs mounted for
the test (needs root and ``mount``; skipped otherwise, with the reason), a child process whose file
size limit is small (``RLIMIT_FSIZE``, any Unix), and a replaced free-space probe (everywhere).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.evidence import diskspace, sqlite_guard
from spyscan.evidence.custody import InputLog
from spyscan.evidence.diskspace import DiskSpaceLow, preflight
from spyscan.evidence.sqlite import copy_with_hash, open_private_copy

from . import hostile_sqlite as H

MiB = 1 << 20
SMS = "private/var/mobile/Library/SMS/sms.db"  # a file the filesystem-dump kind copies while listing


def _low_entropy(size: int) -> bytes:
    """``size`` bytes compressing about 40 times (under the 250 times of a decompression bomb)."""
    block = 4096
    return b"".join(os.urandom(64) + bytes(block - 64) for _ in range(size // block))


def _dump_tar(path: Path, member_size: int) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for folder in ("private", "private/var", "private/var/mobile"):
            info = tarfile.TarInfo(folder)
            info.type = tarfile.DIRTYPE
            tar.addfile(info)
        data = _low_entropy(member_size)
        info = tarfile.TarInfo(SMS)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def _options(out: Path) -> RunOptions:
    return RunOptions(output=out, indicators=IndicatorOptions(bundled=False), jobs=1)


# --------------------------------------------------------------------------------------------
# a replaced free-space probe


def test_preflight_refuses_a_check_that_cannot_fit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "dump.tar"
    archive.write_bytes(os.urandom(3 * MiB))
    monkeypatch.setenv("SPYSCAN_DISK_RESERVE_BYTES", str(2 * MiB))
    monkeypatch.setattr(diskspace, "free_bytes", lambda path: 4 * MiB)  # 5 MiB needed (3 + 2)
    with pytest.raises(DiskSpaceLow) as caught:
        preflight(archive, tmp_path / "out", tmp_path / "work")
    message = str(caught.value)
    assert "\n" not in message and caught.value.exit_code == 1
    assert message.startswith("not enough free disk space for output folder ")
    assert "about 8.0 MiB needed for dump.tar" in message  # same file system: both folders' share
    monkeypatch.setattr(diskspace, "free_bytes", lambda path: 9 * MiB)
    preflight(archive, tmp_path / "out", tmp_path / "work")  # fits


def test_the_engine_calls_preflight_before_anything_is_written(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.builders.ios_backup import BackupBuilder

    backup = BackupBuilder(tmp_path / "backup").build()
    monkeypatch.setattr(diskspace, "free_bytes", lambda path: 1 * MiB)
    out = tmp_path / "out"
    with pytest.raises(DiskSpaceLow, match="not enough free disk space") as caught:
        check(backup, None, _options(out))
    assert caught.value.exit_code == 1
    assert not out.exists()  # refused before the output folder was made


def test_a_copy_stops_when_free_space_runs_low(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "big.db"
    source.write_bytes(os.urandom(24 * MiB))
    monkeypatch.setenv("SPYSCAN_DISK_RESERVE_BYTES", str(4 * MiB))
    monkeypatch.setattr(diskspace, "free_bytes", lambda path: 20 * MiB)  # 24 MiB never fit above the reserve
    with pytest.raises(DiskSpaceLow, match=r"big.db: 24.0 MiB to write but only 20.0 MiB of disk space left"):
        copy_with_hash(source, tmp_path / "copy" / "big.db", InputLog(), "big.db")
    probes: list[int] = []

    def shrinking(path: object) -> int:  # a disk other writers are filling meanwhile
        probes.append(1)
        return max(0, 40 * MiB - 12 * MiB * (len(probes) - 1))

    monkeypatch.setattr(diskspace, "free_bytes", shrinking)
    with pytest.raises(DiskSpaceLow, match=r"big.db: only .* of disk space left .* the check stopped before filling"):
        copy_with_hash(source, tmp_path / "copy2" / "big.db", InputLog(), "big.db")


# --------------------------------------------------------------------------------------------
# a child process with a small file size limit


_LIMITED_CHILD = """
import resource, runpy, signal, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (8 << 20, 8 << 20))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
sys.argv = ["spyscan", *sys.argv[1:]]
runpy.run_module("spyscan", run_name="__main__")
"""


@pytest.mark.skipif(not hasattr(__import__("resource"), "RLIMIT_FSIZE"), reason="needs RLIMIT_FSIZE (Unix)")
def test_a_file_size_limit_stops_the_check_cleanly(tmp_path: Path) -> None:
    archive = _dump_tar(tmp_path / "dump.tar.gz", 20 * MiB)
    out = tmp_path / "out"
    env = {**os.environ, "SPYSCAN_DISK_RESERVE_BYTES": "0", "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    done = subprocess.run([sys.executable, "-c", _LIMITED_CHILD, "check", str(archive), "-o", str(out),
                           "--kind", "ios-fs", "--no-bundled-iocs", "--jobs", "1"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "the disk is full or a size limit was reached" in lines[0], done.stderr
    assert SMS in lines[0]
    assert list((tmp_path / "tmp").iterdir()) == []  # the work folder was removed


# --------------------------------------------------------------------------------------------
# a real small disk (tmpfs)


@contextlib.contextmanager
def _tmpfs(where: Path, size: int) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the RLIMIT_FSIZE and probe tests cover the rest)")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


class _FreeWatch:
    """The least free space seen on a file system, polled every few milliseconds in a thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.least = diskspace.free_bytes(path)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError):
                self.least = min(self.least, diskspace.free_bytes(self.path))
            time.sleep(0.002)

    def __enter__(self) -> _FreeWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_a_check_on_a_small_disk_stops_before_it_is_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _tmpfs(tmp_path / "small", 40 * MiB) as small:
        archive = _dump_tar(tmp_path / "dump.tar.gz", 60 * MiB)  # about 1 MiB: passes the preflight
        monkeypatch.setenv("SPYSCAN_DISK_RESERVE_BYTES", str(4 * MiB))
        monkeypatch.setattr(tempfile, "tempdir", str(small))  # the engine's work folder goes there
        with _FreeWatch(small) as watch, pytest.raises(DiskSpaceLow) as caught:
            check(archive, "ios-fs", _options(tmp_path / "out"))
        message = str(caught.value)
        assert "\n" not in message and caught.value.exit_code == 1
        # the member's size is in its header: refused before a byte is written (streams of unknown size,
        # like SQLite's temporary files below, are stopped while they are written)
        expected = (rf"dump\.tar\.gz: {SMS}: 60\.0 MiB to write but only \d+\.\d MiB of disk space left "
                    r"\(spyscan keeps 4\.0 MiB free, SPYSCAN_DISK_RESERVE_BYTES\); not written")
        assert re.fullmatch(expected, message), message
        assert watch.least > 2 * MiB, f"the disk came down to {watch.least} bytes free"
        assert list(small.iterdir()) == []  # the work folder was removed
    sqlite_guard.use_temp_folder(tmp_path)  # not the unmounted folder


def test_sqlite_temporary_files_stop_before_a_small_disk_is_full(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with _tmpfs(tmp_path / "small", 24 * MiB) as small:
        monkeypatch.setenv("SPYSCAN_DISK_RESERVE_BYTES", str(8 * MiB))
        source = tmp_path / "spill.db"
        source.write_bytes(H.build(lambda conn: (conn.execute("CREATE TABLE t (v TEXT)"), conn.execute(
            "INSERT INTO t WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r LIMIT 60000) "
            "SELECT hex(randomblob(100)) FROM r"))))
        conn = open_private_copy(source, tmp_path / "work", InputLog(), "spill.db")
        sqlite_guard.use_temp_folder(small)
        try:
            with _FreeWatch(small) as watch, pytest.raises(DiskSpaceLow) as caught:
                conn.execute("SELECT v FROM t ORDER BY v || v || v || v").fetchall()
            assert str(caught.value).startswith("spill.db (SQLite temporary files): only ")
            assert watch.least > 2 * MiB, f"the disk came down to {watch.least} bytes free"
        finally:
            conn.close()
            sqlite_guard.use_temp_folder(tmp_path)
