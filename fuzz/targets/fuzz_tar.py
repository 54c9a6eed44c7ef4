"""Fuzz target: tar archives (plain, gzip, bzip2, xz) as sysdiagnose and filesystem dumps are read: the
streaming listing with extraction of wanted members (``FsListing.walk_tar``), extraction of one member
(``extract_member``) and the generic ``Archive`` reader with ``extract``, all with small limits.

Property: only ``EvidenceError`` escapes (one line); nothing is written outside the scratch folder.

Run: fuzz/run.sh tar SECONDS
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.errors import EvidenceError
    from spyscan.evidence.archive import Archive, ArchiveLimits
    from spyscan.evidence.fs_listing import FsListing, extract_member

LIMITS = ArchiveLimits(max_member_size=1 << 20, max_total_size=4 << 20, max_members=2000)


def _one_line(exc: Exception) -> None:
    if "\n" in str(exc):
        raise AssertionError(f"multi-line error {exc!r}") from exc


def one_input(data: bytes) -> None:
    archive = common.scratch_file("input.tar", data)
    root = archive.parent / "tar-out"
    shutil.rmtree(root, ignore_errors=True)
    (root / "listed").mkdir(parents=True)
    listing = FsListing(root / "listing.db")
    try:
        listing.walk_tar(archive, root / "listed", lambda name: True, LIMITS)
        names = [entry.path for entry in listing.all() if entry.is_file]
        if names:
            extract_member(archive, names[0], root / "one", LIMITS)
    except EvidenceError as exc:
        _one_line(exc)
    finally:
        listing.close()
    try:
        with Archive(archive, LIMITS) as opened:
            for member in opened.files()[:20]:
                opened.extract(member.name, root / "generic")
    except EvidenceError as exc:
        _one_line(exc)
    for path in root.rglob("*"):
        if not path.resolve().is_relative_to(root.resolve()):
            raise AssertionError(f"{path} escaped the scratch folder")


if __name__ == "__main__":
    common.main(one_input)
