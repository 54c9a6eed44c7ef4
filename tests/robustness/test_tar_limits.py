"""Tar members get the zip members' limits (issue 17): compression ratio, sparse holes, total size,
counted across the whole input before anything is copied; a name listed twice resolves the same way in
the listing and in every extraction (the last member wins, as ``tar`` extracts it)."""

from __future__ import annotations

import io
import os
import tarfile
import time
import warnings
import zipfile
from pathlib import Path

import pytest

from spyscan.errors import EvidenceError
from spyscan.evidence import fs_listing
from spyscan.evidence.archive import Archive, ArchiveLimits
from spyscan.evidence.fs_listing import FsListing, extract_member
from spyscan.kinds.ios_fs import IOSFilesystemEvidence

SYSDIAGNOSE_TOP = "sysdiagnose_2023.11.14_22-13-20+0000_iPhone-OS_iPhone_20B82"


class _Zeros(io.RawIOBase):
    """``size`` zero bytes, read in chunks (never held whole)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left)
        buffer[:n] = bytes(n)
        self.left -= n
        return n


def _tar(path: Path, members: list[tuple[str, bytes | int]], mode: str = "w:gz") -> Path:
    """A tar of ``members``: bytes, or an int for that many zero bytes (streamed)."""
    with tarfile.open(path, mode) as tar:  # type: ignore[call-overload]
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.mtime = 1_700_000_000
            if isinstance(data, int):
                info.size = data
                tar.addfile(info, _Zeros(data))
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


def sparse_tar(path: Path, name: str, realsize: int, data: bytes = b"x" * 4096) -> Path:
    """A plain tar whose one member is a GNU sparse file (PAX format 1.0): ``realsize`` bytes declared,
    ``data`` stored at the end, the rest a hole that extraction fills with zeros."""
    sparse_map = f"1\n{realsize - len(data)}\n{len(data)}\n".encode()
    payload = sparse_map + b"\0" * (-len(sparse_map) % 512) + data
    info = tarfile.TarInfo(f"GNUSparseFile.0/{name}")
    info.size = len(payload)
    info.pax_headers = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.name": name,
                        "GNU.sparse.realsize": str(realsize)}
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(info, io.BytesIO(payload))
    return path


def _one_line_naming(message: str, archive: Path, limit: str) -> None:
    assert "\n" not in message and archive.name in message and limit in message, message


def _copied_bytes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Sizes of every tar member copied into a work folder from now on."""
    sizes: list[int] = []
    original = fs_listing.copy_member

    def counting(*args: object, **kwargs: object) -> fs_listing.Extracted | None:
        done = original(*args, **kwargs)  # type: ignore[arg-type]
        if done is not None:
            sizes.append(done.size)
        return done

    monkeypatch.setattr(fs_listing, "copy_member", counting)
    return sizes


def test_a_small_sysdiagnose_that_would_write_gigabytes_is_refused_before_copying(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spyscan.engine import IndicatorOptions, RunOptions, check

    archive = _tar(tmp_path / f"{SYSDIAGNOSE_TOP}.tar.gz", [
        (f"{SYSDIAGNOSE_TOP}/ps.txt", b"USER PID COMMAND\nroot 1 /sbin/launchd\n"),
        (f"{SYSDIAGNOSE_TOP}/logs/huge.log", 256 << 20),  # 256 MiB of zeros: about 250 KiB compressed
    ])
    assert archive.stat().st_size < 1 << 20
    copied = _copied_bytes(monkeypatch)
    started = time.monotonic()
    with pytest.raises(EvidenceError) as caught:
        check(archive, "sysdiagnose", RunOptions(output=tmp_path / "out", indicators=IndicatorOptions(bundled=False),
                                                 jobs=1))
    assert time.monotonic() - started < 10  # the kind's peek at the tar never expands the bomb either
    _one_line_naming(str(caught.value), archive, "SPYSCAN_MAX_COMPRESSION_RATIO")
    assert "decompression bomb" in str(caught.value) and caught.value.exit_code == 1
    assert sum(copied) < 1 << 20  # refused at the member's header, before its bytes were copied


def test_sparse_members_count_their_holes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = sparse_tar(tmp_path / "dump.tar", "private/var/mobile/Library/SMS/sms.db", 1 << 30)
    assert archive.stat().st_size < 16 << 10
    copied = _copied_bytes(monkeypatch)
    with pytest.raises(EvidenceError) as caught:
        FsListing(tmp_path / "listing.sqlite").walk_tar(archive, tmp_path / "x", lambda name: True)
    _one_line_naming(str(caught.value), archive, "SPYSCAN_MAX_COMPRESSION_RATIO")
    assert "a sparse member whose holes expand (4096 bytes stored, 1073741824 bytes once expanded" in str(caught.value)
    assert copied == []
    with pytest.raises(EvidenceError, match="sparse member whose holes expand"), Archive(archive) as reader:
        reader.members()
    # a sparse member whose holes are small is an ordinary member
    small = sparse_tar(tmp_path / "small.tar", "a/notes.txt", 64 << 10)
    listing = FsListing(tmp_path / "small.sqlite")
    listing.walk_tar(small, tmp_path / "y", lambda name: True)
    assert Path(listing.extracted["a/notes.txt"].local).stat().st_size == 64 << 10


def test_the_total_is_counted_across_the_whole_tar(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "dump.tar.gz", [(f"a/{i}.bin", os.urandom(400 << 10)) for i in range(3)])
    limits = ArchiveLimits(max_total_size=1 << 20)
    with pytest.raises(EvidenceError) as caught:
        FsListing(tmp_path / "listing.sqlite").walk_tar(archive, tmp_path / "x", lambda name: False, limits)
    _one_line_naming(str(caught.value), archive, "SPYSCAN_MAX_ARCHIVE_BYTES")
    with pytest.raises(EvidenceError, match="expands to more than 1048576 bytes"), \
            Archive(archive, limits) as reader:
        reader.members()
    with pytest.raises(EvidenceError) as member:  # and one member over its own limit
        FsListing(tmp_path / "l2.sqlite").walk_tar(archive, tmp_path / "y", lambda name: False,
                                                   ArchiveLimits(max_member_size=100 << 10))
    _one_line_naming(str(member.value), archive, "SPYSCAN_MAX_MEMBER_BYTES")


DUPLICATED = [
    ("private/var/mobile/", b""),
    ("private/var/mobile/Library/wanted.txt", b"first"),
    ("private/var/mobile/Library/notes.txt", b"one"),
    ("private/var/mobile/Library/wanted.txt", b"second, the one tar extracts"),
    ("private/var/mobile/Library/notes.txt", b"two, the one tar extracts"),
]


def _duplicated_tar(path: Path) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in DUPLICATED:
            info = tarfile.TarInfo(name.rstrip("/"))
            if name.endswith("/"):
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
                continue
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_name_listed_twice_resolves_to_the_last_member_everywhere(tmp_path: Path) -> None:
    archive = _duplicated_tar(tmp_path / "dump.tar.gz")
    wanted, notes = "private/var/mobile/Library/wanted.txt", "private/var/mobile/Library/notes.txt"
    listing = FsListing(tmp_path / "listing.sqlite")
    listing.walk_tar(archive, tmp_path / "walk", lambda name: name == wanted)
    for name, last in ((wanted, DUPLICATED[3][1]), (notes, DUPLICATED[4][1])):
        entry = listing.get(name)
        assert entry is not None and entry.size == len(last)
    assert Path(listing.extracted[wanted].local).read_bytes() == DUPLICATED[3][1]  # copied during the walk
    assert listing.member_index(notes) == 4
    on_demand = extract_member(archive, notes, tmp_path / "od1", index=listing.member_index(notes))
    assert on_demand.read_bytes() == DUPLICATED[4][1]
    assert extract_member(archive, notes, tmp_path / "od2").read_bytes() == DUPLICATED[4][1]  # without the index
    with Archive(archive) as reader:
        assert reader.members()[notes].size == len(DUPLICATED[4][1])
        assert reader.read(notes) == DUPLICATED[4][1]
        assert reader.extract(notes, tmp_path / "ex")[0].read_bytes() == DUPLICATED[4][1]
    # through the filesystem-dump kind: the listing and the on-demand copy agree
    evidence = IOSFilesystemEvidence(archive, tmp_path / "work")
    evidence.open()
    try:
        entry = evidence.listing.get(notes)
        assert entry is not None and entry.size == len(DUPLICATED[4][1])
        assert evidence.read_entry(notes) == DUPLICATED[4][1]
    finally:
        evidence.close()


def test_a_zip_name_listed_twice_resolves_to_the_last_member(tmp_path: Path) -> None:
    path = tmp_path / "acq.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        zf.writestr("getprop.txt", b"first")
        zf.writestr("getprop.txt", b"second, the one unzip extracts")
    with Archive(path) as reader:
        assert reader.members()["getprop.txt"].size == len(b"second, the one unzip extracts")
        assert reader.read("getprop.txt") == b"second, the one unzip extracts"
