"""Archive attacks through every archive input kind, end to end (``engine.check``): zip and .zip.age
(androidqf), bugreport zip, intrusion-logs zip, sysdiagnose tar.gz, ios-fs tar, Android .ab. Each
attack is refused with a one-line message or bounded, and nothing is written outside the output and
the (removed) private work folder."""

from __future__ import annotations

import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from spyscan.errors import SpyscanError

from .acquisitions import Acquisition
from .archives import tar_bytes, write_tar, write_zip
from .runs import private_tempdir, run_check, tree_snapshot

PASS = "age-pass-1234"
ANDROIDQF_MARKERS = [("getprop.txt", b"[ro.product.model]: [Pixel]\n"), ("packages.json", b"[]")]
ESCAPE = "../../escaped.txt"
Attack = Callable[[Path], Acquisition]


def _androidqf_zip(members: list[tuple[str, bytes]], symlinks: list[tuple[str, str]] = ()) -> Attack:  # type: ignore[assignment]
    def build(root: Path) -> Acquisition:
        path = write_zip(root / "acq.zip", ANDROIDQF_MARKERS + members, symlinks=symlinks)
        return Acquisition("androidqf", path, root)
    return build


def _androidqf_age(members: list[tuple[str, bytes]]) -> Attack:
    def build(root: Path) -> Acquisition:
        from tests.builders.androidqf import age_passphrase_encrypt

        plain = write_zip(root / "plain.zip", ANDROIDQF_MARKERS + members)
        path = root / "acq.zip.age"
        path.write_bytes(age_passphrase_encrypt(plain.read_bytes(), PASS))
        plain.unlink()
        return Acquisition("androidqf", path, root, password=PASS)
    return build


def _bugreport(members: list[tuple[str, bytes]], symlinks: list[tuple[str, str]] = ()) -> Attack:  # type: ignore[assignment]
    def build(root: Path) -> Acquisition:
        name = "dumpstate-2024-05-01-10-00-00.txt"
        files = [("main_entry.txt", name.encode()), (name, b"== dumpstate\n"), ("version.txt", b"2.0"), *members]
        return Acquisition("bugreport", write_zip(root / "bugreport.zip", files, symlinks=symlinks), root)
    return build


def _intrusion(members: list[tuple[str, bytes]]) -> Attack:
    def build(root: Path) -> Acquisition:
        files = [("intrusion-logs/2024-06-01.txt", b'{"security_event": {"event_id": 1, "event_time": 1}}\n'),
                 *members]
        return Acquisition("intrusion-logs", write_zip(root / "intrusion.zip", files), root)
    return build


def _tar_kind(kind: str, name: str, members: list[tuple[str, bytes]],
              links: list[tuple[str, str, bytes]] = ()) -> Attack:  # type: ignore[assignment]
    def build(root: Path) -> Acquisition:
        top = "sysdiagnose_2024.05.01_10-00-00-0000_iPhone-OS_iPhone_21E236/" if kind == "sysdiagnose" else ""
        base = [(f"{top}ps.txt", b"USER PID PPID COMMAND\n")] if kind == "sysdiagnose" else [
            ("private/var/mobile/Library/x.txt", b"x"), ("usr/libexec/locationd", b"\xcf\xfa\xed\xfe")]
        path = write_tar(root / name, base + [(top + m, d) for m, d in members],
                         links=[(top + n, t, k) for n, t, k in links], mode="w:gz")
        return Acquisition(kind, path, root)
    return build


def _ab(members: list[tuple[str, bytes]], links: list[tuple[str, str, bytes]] = ()) -> Attack:  # type: ignore[assignment]
    def build(root: Path) -> Acquisition:
        from tests.builders.android_backup import write_ab

        path = write_ab(root / "backup.ab", tar_bytes([("apps/com.x/f/a.txt", b"a"), *members], links))
        return Acquisition("android-backup", path, root)
    return build


ATTACKS: dict[str, Attack] = {
    "androidqf-zip/traversal": _androidqf_zip([(ESCAPE, b"owned")]),
    "androidqf-zip/absolute": _androidqf_zip([("/tmp/escaped.txt", b"owned")]),
    "androidqf-zip/symlink": _androidqf_zip([], symlinks=[("dumpsys.txt", "/etc/passwd")]),
    "androidqf-zip/bomb": _androidqf_zip([("logcat.txt", bytes(40 << 20))]),
    "androidqf-zip.age/traversal": _androidqf_age([(ESCAPE, b"owned")]),
    "bugreport-zip/traversal": _bugreport([(ESCAPE, b"owned")]),
    "bugreport-zip/symlink": _bugreport([], symlinks=[("FS/data/x", "/etc/shadow")]),
    "intrusion-zip/traversal": _intrusion([(ESCAPE, b"owned")]),
    "sysdiagnose-tar.gz/traversal": _tar_kind("sysdiagnose", "sysdiagnose.tar.gz", [(ESCAPE, b"owned")]),
    "sysdiagnose-tar.gz/hardlink": _tar_kind("sysdiagnose", "sysdiagnose.tar.gz", [],
                                             links=[("logs/x.log", "/etc/passwd", tarfile.LNKTYPE)]),
    "ios-fs-tar/traversal": _tar_kind("ios-fs", "dump.tar.gz", [(ESCAPE, b"owned")]),
    "ios-fs-tar/symlink-escape": _tar_kind("ios-fs", "dump.tar.gz", [("etc/passwd", b"x")],
                                           links=[("etc", "/etc", tarfile.SYMTYPE)]),
    "ios-fs-tar/bomb": _tar_kind("ios-fs", "dump.tar.gz", [("private/var/zeros", bytes(40 << 20))]),
    "ab/traversal": _ab([(ESCAPE, b"owned")]),
    "ab/hardlink": _ab([], links=[("apps/com.x/f/link", "../../../etc/passwd", tarfile.LNKTYPE)]),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_archive_attack_is_refused_or_bounded(attack: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    try:
        acq = ATTACKS[attack](evidence)
    except ModuleNotFoundError as exc:
        pytest.skip(f"builder missing: {exc}")
    tmp = private_tempdir(tmp_path, monkeypatch)
    before = tree_snapshot(evidence)
    try:
        result = run_check(acq, tmp_path / "out", monkeypatch)
    except SpyscanError as exc:
        message = str(exc)
        assert message and "\n" not in message, message
    else:
        for status in result.run.artifacts.values():
            assert status.error is None or "\n" not in status.error
    assert tree_snapshot(evidence) == before
    assert list(tmp.iterdir()) == [], "the work folder was left behind"
    escaped = [p for p in tmp_path.rglob("escaped.txt")] + [p for p in tmp_path.parent.glob("escaped.txt")]
    assert escaped == [], f"a member escaped: {escaped}"
    for path in (tmp_path / "out").rglob("*") if (tmp_path / "out").exists() else []:
        assert not path.is_symlink()
        if path.is_file():
            assert b"root:x:0:0" not in path.read_bytes(), f"{path} holds the host's /etc/passwd"
