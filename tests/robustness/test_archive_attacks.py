"""Hostile archives: every attack is refused or bounded with a clear message, nothing lands outside the
private work folder, and limits are configurable."""

from __future__ import annotations

import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from spyscan.errors import EvidenceError
from spyscan.evidence.archive import Archive, ArchiveLimits, safe_name, zip_entry_count

from .archives import nested_zip, raw_tiny_zip, write_tar, write_zip

MiB = 1 << 20


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def _extract_all(archive: Archive, work: Path) -> None:
    for member in archive.files():
        archive.extract(member.name, work)


# -- names ----------------------------------------------------------------------------------------

TRAVERSAL_NAMES = ["../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "C:\\evil.txt", "..\\evil.txt", "a/b/../../../x"]


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
@pytest.mark.parametrize("form", ["zip", "tar", "tar.gz"])
def test_escaping_member_names_refuse_the_archive(tmp_path: Path, name: str, form: str) -> None:
    path = tmp_path / f"in.{form}"
    members = [("ok.txt", b"fine"), (name, b"owned")]
    if form == "zip":
        write_zip(path, members)
    else:
        write_tar(path, members, mode="w:gz" if form == "tar.gz" else "w")
    before = _tree(tmp_path)
    with Archive(path) as archive, pytest.raises(EvidenceError) as info:
        archive.members()
    message = str(info.value)
    assert ("escaping" in message or "absolute" in message) and "\n" not in message
    assert _tree(tmp_path) == before


def test_safe_name_normalises_harmless_names() -> None:
    assert safe_name("./a//b/./c/") == "a/b/c"
    assert safe_name("..a/b..") == "..a/b.."
    with pytest.raises(EvidenceError):
        safe_name("a\x00b")


# -- links ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
@pytest.mark.parametrize("target", ["/etc/passwd", "../../../etc/passwd", "ok.txt"])
def test_tar_links_are_listed_never_followed(tmp_path: Path, kind: bytes, target: str) -> None:
    path = write_tar(tmp_path / "links.tar", [("ok.txt", b"fine")], links=[("link", target, kind)])
    work = tmp_path / "work"
    with Archive(path) as archive:
        assert archive.members()["link"].is_link
        assert [m.name for m in archive.files()] == ["ok.txt"]
        with pytest.raises(EvidenceError, match="link"):
            archive.read("link")
        with pytest.raises(EvidenceError, match="link"):
            archive.extract("link", work)
        _extract_all(archive, work)
    assert _tree(work) == {"ok.txt"}


def test_zip_member_with_symlink_mode_is_never_followed(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "l.zip", [("ok.txt", b"fine")], symlinks=[("passwd", "/etc/passwd")])
    with Archive(path) as archive:
        assert archive.members()["passwd"].is_link
        with pytest.raises(EvidenceError, match="link"):
            archive.read("passwd")
        assert [m.name for m in archive.files()] == ["ok.txt"]


def test_member_below_a_symlinked_folder_stays_inside_the_work_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    path = write_tar(tmp_path / "d.tar", [("d/x.txt", b"payload")], links=[("d", str(outside), tarfile.SYMTYPE)])
    work = tmp_path / "work"
    with Archive(path) as archive:
        dest, size, _ = archive.extract("d/x.txt", work)
    assert dest == (work / "d" / "x.txt").resolve() and size == 7
    assert not (work / "d").is_symlink() and list(outside.iterdir()) == []


def test_a_symlink_planted_in_the_work_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    (work / "d").symlink_to(outside)
    path = write_zip(tmp_path / "z.zip", [("d/x.txt", b"payload")])
    with Archive(path) as archive, pytest.raises(EvidenceError, match="escaping the work folder"):
        archive.extract("d/x.txt", work)
    assert list(outside.iterdir()) == []


# -- bombs ----------------------------------------------------------------------------------------

def test_zip_bomb_by_member_ratio_is_refused(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "bomb.zip", [("zeros.bin", bytes(20 * MiB))])
    assert path.stat().st_size < 100_000
    with Archive(path) as archive, pytest.raises(EvidenceError, match="decompression bomb"):
        archive.members()


def test_zip_bomb_by_whole_archive_ratio_is_refused(tmp_path: Path) -> None:
    # each member stays under the per-member floor; together they expand 1000-fold
    path = write_zip(tmp_path / "many.zip", [(f"z{i}.bin", bytes(MiB - 1)) for i in range(8)])
    with Archive(path) as archive, pytest.raises(EvidenceError, match="decompression bomb"):
        archive.members()


def test_tar_gz_bomb_is_refused_by_ratio(tmp_path: Path) -> None:
    path = write_tar(tmp_path / "bomb.tar.gz", [("zeros.bin", bytes(16 * MiB))], mode="w:gz")
    with Archive(path) as archive, pytest.raises(EvidenceError, match="decompression bomb"):
        archive.members()


def test_total_size_limit_is_configurable(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "big.zip", [(f"r{i}", os.urandom(300_000)) for i in range(4)],
                     compress=zipfile.ZIP_STORED)
    with Archive(path) as archive:
        assert len(archive.files()) == 4
    with Archive(path, ArchiveLimits(max_total_size=MiB)) as archive, \
            pytest.raises(EvidenceError, match="expands to more than 1048576"):
        archive.members()


def test_member_size_limit_bounds_reading(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "m.zip", [("r", os.urandom(200_000))], compress=zipfile.ZIP_STORED)
    with Archive(path, ArchiveLimits(max_member_size=100_000)) as archive, \
            pytest.raises(EvidenceError, match="larger than the limit"):
        archive.members()


# -- nesting --------------------------------------------------------------------------------------

def test_nested_archives_are_bounded_in_depth(tmp_path: Path) -> None:
    path = nested_zip(tmp_path / "n.zip", depth=6)
    limits = ArchiveLimits(max_depth=3)
    work = tmp_path / "work"
    archive = Archive(path, limits)
    opened = [archive]
    with pytest.raises(EvidenceError, match="nested more than 3"):
        while True:
            archive = archive.open_nested("inner.zip", work / str(len(opened)))
            opened.append(archive)
    assert len(opened) == 4  # depth 0..3
    for item in opened:
        item.close()
    assert Archive(nested_zip(tmp_path / "ok.zip", depth=2), limits).open_nested(
        "inner.zip", work / "ok").read("leaf.txt") == b"leaf"
    with pytest.raises(EvidenceError, match="nested 4 archives deep"):
        Archive(path, limits, depth=4)


# -- many members ---------------------------------------------------------------------------------

def test_many_tiny_zip_members_are_refused_before_the_directory_is_parsed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = raw_tiny_zip(tmp_path / "tiny.zip", 70_000)  # zip64 end records
    assert zip_entry_count(path) == 70_000
    with zipfile.ZipFile(path) as zf:  # the premise: a valid zip
        assert len(zf.infolist()) == 70_000

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr("spyscan.evidence.archive.zipfile.ZipFile", no_parsing)
    with pytest.raises(EvidenceError, match="more than 1000 members"):
        Archive(path, ArchiveLimits(max_members=1000))
    assert zip_entry_count(raw_tiny_zip(tmp_path / "small.zip", 10)) == 10


def test_many_tiny_tar_members_are_refused_at_the_limit(tmp_path: Path) -> None:
    path = write_tar(tmp_path / "tiny.tar.gz", [(f"d/{i}", b"") for i in range(3000)], mode="w:gz")
    with Archive(path, ArchiveLimits(max_members=1000)) as archive, \
            pytest.raises(EvidenceError, match="more than 1000 members"):
        archive.members()


def test_a_large_listing_stays_usable(tmp_path: Path) -> None:
    count = int(os.environ.get("SPYSCAN_BIG_LISTING", "50000"))
    path = raw_tiny_zip(tmp_path / "list.zip", count)
    with Archive(path) as archive:
        files = archive.files()
        assert len(files) == count
        assert archive.read(f"d/{count - 1:07d}") == b""


# -- damaged archives -----------------------------------------------------------------------------

@pytest.mark.parametrize("cut", [0.3, 0.7, 0.95])
def test_truncated_archives_give_one_line_errors(tmp_path: Path, cut: float) -> None:
    full = write_tar(tmp_path / "t.tar.gz", [(f"f{i}", os.urandom(20_000)) for i in range(5)], mode="w:gz")
    data = full.read_bytes()
    path = tmp_path / "cut.tar.gz"
    path.write_bytes(data[: int(len(data) * cut)])
    try:
        with Archive(path) as archive:
            for member in archive.files():
                archive.read(member.name)
    except EvidenceError as exc:
        assert "cut.tar.gz" in str(exc) or "f" in str(exc)
        assert "\n" not in str(exc)
    else:  # pragma: no cover - a cut gzip is always detected
        pytest.fail("a truncated tar.gz was read without an error")


def test_random_bytes_are_not_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "r.zip"
    path.write_bytes(os.urandom(5000))
    with pytest.raises(EvidenceError, match=r"r\.zip"):
        Archive(path)
