"""The one-walk listing: glob semantics, folder walk without following links, tar stream with extraction."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from builders.ios_fs import FsDumpBuilder
from spyscan.errors import EvidenceError
from spyscan.evidence.fs_listing import FsListing, glob_regex


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("a/*/c.db", "a/b/c.db", True),
    ("a/*/c.db", "a/b/x/c.db", False),  # * never crosses a folder
    ("a/**/c.db", "a/c.db", True),
    ("a/**/c.db", "a/b/x/c.db", True),
    ("**/Cache.db", "private/var/x/Cache.db", True),
    ("**/Cache.db", "private/var/x/NotCache.db", False),
    ("shutdown.*.log", "shutdown.0.log", True),
    ("shutdown.*.log", "shutdown.log", False),
    ("x/[ab].txt", "x/b.txt", True),
    ("x/[!ab].txt", "x/b.txt", False),
    ("a+b/(c).db", "a+b/(c).db", True),  # regex characters are literal
])
def test_glob_semantics(pattern: str, path: str, expected: bool) -> None:
    assert bool(glob_regex(pattern).fullmatch(path)) is expected


def test_folder_walk_lists_links_without_following(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "secret.db").write_bytes(b"x")
    b = FsDumpBuilder().add_text("private/var/mobile/Library/a.txt", "hello", mode=0o600)
    b.add_symlink("private/var/mobile/escape", str(outside))
    root = b.build_folder(tmp_path / "dump")
    listing = FsListing(tmp_path / "work" / "l.sqlite")
    count = listing.walk_folder(root)
    paths = {e.path: e for e in listing.all()}
    assert count == len(paths)
    assert paths["private/var/mobile/escape"].type == "l"
    assert paths["private/var/mobile/escape"].link == str(outside)
    assert not any("secret.db" in p for p in paths)
    entry = paths["private/var/mobile/Library/a.txt"]
    assert (entry.type, entry.size, entry.mode, entry.mtime) == ("f", 5, 0o600, 1_700_000_000)
    assert [e.path for e in listing.find("**/a.txt")] == ["private/var/mobile/Library/a.txt"]
    assert [e.path for e in listing.find("private/var/*/Library/a.txt")] == ["private/var/mobile/Library/a.txt"]


def test_tar_stream_lists_and_extracts_only_wanted(tmp_path: Path) -> None:
    b = FsDumpBuilder().add_text("private/var/keep.db", "K").add_text("private/var/skip.db", "S")
    archive = b.build_tar(tmp_path / "d.tar.gz", prefix="./")
    listing = FsListing(tmp_path / "work" / "l.sqlite")
    listing.walk_tar(archive, tmp_path / "work" / "x", lambda name: name.endswith("keep.db"))
    assert listing.get("private/var/skip.db") is not None
    assert set(listing.extracted) == {"private/var/keep.db"}
    assert Path(listing.extracted["private/var/keep.db"].local).read_bytes() == b"K"
    assert not (tmp_path / "work" / "x" / "private" / "var" / "skip.db").exists()


def test_tar_with_escaping_member_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bad.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("../../etc/evil")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(EvidenceError, match="escaping"):
        FsListing(tmp_path / "l.sqlite").walk_tar(archive, tmp_path / "x", lambda n: True)
    assert not (tmp_path.parent / "etc" / "evil").exists()
