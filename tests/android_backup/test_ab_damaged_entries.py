"""Damaged inner tar streams (found by fuzz/run.sh android_backup): an entry that cannot be read is an
EvidenceError naming the entry, never a tarfile.ReadError or a ValueError."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.builders.android_backup import tar_bytes, write_ab

from spyscan.errors import EvidenceError
from spyscan.evidence.android_backup_stream import BackupReader

NAME = "apps/com.example/f/notes.txt"


def _read_all(path: Path) -> dict[str, bytes]:
    return {e.name: e.read(1 << 20) for e in BackupReader(path).entries()}


@pytest.mark.parametrize("compressed", [False, True])
def test_tar_cut_inside_an_entry_names_the_entry(tmp_path: Path, compressed: bool) -> None:
    tar = tar_bytes([(NAME, b"x" * 5000)])
    path = write_ab(tmp_path / "cut.ab", tar[:512 + 2000], compressed=compressed)  # header + part of the data
    with pytest.raises(EvidenceError, match=NAME) as caught:
        _read_all(path)
    assert "\n" not in str(caught.value)


def _with_negative_size(tar: bytes) -> bytes:
    """The first header's size field as base-256 -1, with its checksum recomputed."""
    header = bytearray(tar[:512])
    header[124:136] = b"\xff" * 12
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\x00 " % sum(header)
    return bytes(header) + tar[512:]


def test_negative_entry_size_names_the_entry(tmp_path: Path) -> None:
    path = write_ab(tmp_path / "negative.ab", _with_negative_size(tar_bytes([(NAME, b"hello")])), compressed=False)
    with pytest.raises(EvidenceError, match=NAME):
        _read_all(path)
