"""Damaged androidqf files never pass silently: an empty file, a cut last line and a ps listing without
its header line are warnings; records are still read where possible."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.androidqf.helpers import collect, open_evidence
from tests.builders.androidqf import build_androidqf

PS_ROWS = ("root             1     0   10904   2048 0                   0 S init\n"
           "u0_a123       4321   800 1234567  65432 0                   0 S com.example.app\n")


def _acquisition(tmp_path: Path) -> Path:
    return build_androidqf(tmp_path / "acq", processes=[("init", 1, 0, "root")], getprop={"ro.x": "1"})


@pytest.mark.parametrize(("artifact_id", "file"), [
    ("android.androidqf.getprop", "getprop.txt"), ("android.androidqf.logcat", "logcat.txt"),
    ("android.androidqf.packages", "packages.json"), ("android.androidqf.files", "files.json"),
    ("android.androidqf.root_binaries", "root_binaries.json"), ("android.androidqf.mounts", "mounts.json"),
])
def test_empty_file_is_a_warning(tmp_path: Path, artifact_id: str, file: str) -> None:
    root = _acquisition(tmp_path)
    (root / file).write_bytes(b"")
    records, log = collect(open_evidence(root, tmp_path / "work"), artifact_id)
    assert records == []
    assert f"{file}: file is empty" in log.warnings


def test_cut_last_line_is_a_warning(tmp_path: Path) -> None:
    root = _acquisition(tmp_path)
    (root / "getprop.txt").write_bytes(b"[ro.a]: [1]\n[ro.b]: [2]\n[ro.c]: [val")
    records, log = collect(open_evidence(root, tmp_path / "work"), "android.androidqf.getprop")
    assert len(records) >= 2
    assert any("getprop.txt" in w and "last line may be cut" in w for w in log.warnings)


def test_complete_file_has_no_cut_warning(tmp_path: Path) -> None:
    root = _acquisition(tmp_path)
    (root / "getprop.txt").write_bytes(b"[ro.a]: [1]\n[ro.b]: [2]\n")
    _, log = collect(open_evidence(root, tmp_path / "work"), "android.androidqf.getprop")
    assert not any("cut" in w or "empty" in w for w in log.warnings)


def test_ps_without_header_is_a_warning_and_rows_are_read(tmp_path: Path) -> None:
    root = _acquisition(tmp_path)
    (root / "processes.txt").unlink()
    (root / "ps.txt").write_text(PS_ROWS + "garbage line\n")
    records, log = collect(open_evidence(root, tmp_path / "work"), "android.androidqf.ps")
    assert [(r.name, r.pid, r.ppid, r.user) for r in records] == [  # type: ignore[attr-defined]
        ("init", 1, 0, "root"), ("com.example.app", 4321, 800, "u0_a123")]
    assert any("ps.txt: no ps header line" in w for w in log.warnings)
    assert any("1 line(s) not in ps -A format skipped" in w for w in log.warnings)
