"""The fast MBFile reader (scan and shape paths) gives exactly what the general decoder gives, or hands
the blob over."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spyscan.errors import EvidenceError
from spyscan.evidence.ios_backup import fileinfo, mbfile_reader
from spyscan.evidence.ios_backup.fileinfo import BackupFileInfo, decode_file_blob

from ..builders.ios_backup import mbfile_blob


def _general(blob: bytes) -> BackupFileInfo | str:
    """The decoder as it was before the fast path: plistlib, then nska_deserialize."""
    try:
        return fileinfo._file_info(fileinfo._decode_general(blob))
    except EvidenceError:
        return "EvidenceError"


def _new(blob: bytes) -> BackupFileInfo | str:
    try:
        return decode_file_blob(blob)
    except EvidenceError:
        return "EvidenceError"


KEY = b"\x03\x00\x00\x00" + bytes(range(40))
VARIANTS = [
    mbfile_blob(relative_path="Library/Notes/a.db", size=7),
    mbfile_blob(relative_path="Library/Notes/a.db", size=7, encryption_key=KEY),
    mbfile_blob(relative_path="Library/Notes/a.db", size=0, encryption_key=os.urandom(300)),
    mbfile_blob(relative_path="link", size=0, mode=0o120755, extra={"Target": "/private/var/mobile/x"}),
    mbfile_blob(relative_path="big", size=2**40 + 3, inode=2**62, birth=2**63 - 1, modified=-1,
                status_changed=-(2**63)),
    mbfile_blob(relative_path="times", size=1, birth=0, modified=255, status_changed=65536),
    mbfile_blob(relative_path="partial", size=1, omit=("Birth", "Mode", "UserID", "GroupID", "InodeNumber")),
    mbfile_blob(relative_path="Médias/photo-é.jpg", size=5, extra={"Target": "ünïcode"}),
    mbfile_blob(relative_path="p" * 300, size=3, extra={"Flags": 4, "ProtectionClass": 11}),
]


@pytest.mark.parametrize("blob", VARIANTS)
def test_fast_reader_equals_general_decoder(blob: bytes) -> None:
    assert mbfile_reader.decode_fast(blob) is not None  # these are the shape the fast reader is for
    assert decode_file_blob(blob) == _general(blob)


def test_fast_reader_reads_every_field() -> None:
    info = decode_file_blob(mbfile_blob(relative_path="l", size=2**40, mode=0o120755, birth=-5, modified=2**63 - 1,
                                        status_changed=7, protection_class=4, inode=99, encryption_key=KEY,
                                        extra={"Target": "/t", "UserID": 0, "GroupID": 20}))
    assert info == BackupFileInfo(size=2**40, mode=0o120755, birth=-5, modified=2**63 - 1, status_changed=7,
                                  protection_class=4, inode=99, user_id=0, group_id=20, encryption_key=KEY,
                                  target="/t")


def test_unusual_archives_are_handed_to_the_general_decoder() -> None:
    with_real = mbfile_blob(relative_path="r", size=1, extra={"Birth": 1.5})  # reals are not read fast
    assert mbfile_reader.decode_fast(with_real) is None and decode_file_blob(with_real).birth == 1
    with_inf = mbfile_blob(relative_path="r", size=1, extra={"Birth": float("inf")})
    assert decode_file_blob(with_inf).birth is None  # was an OverflowError traceback
    for broken in (b"bplist00garbage", b"bplist00" + b"\x00" * 40, VARIANTS[0][:-5], b"not a plist at all"):
        assert mbfile_reader.decode_fast(broken) is None
        with pytest.raises(EvidenceError):
            decode_file_blob(broken)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variant=st.sampled_from(VARIANTS),
       edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
                      min_size=1, max_size=4),
       cut=st.integers(min_value=0, max_value=3))
def test_mutated_blobs_match_the_general_decoder(variant: bytes, edits: list[tuple[int, int]], cut: int) -> None:
    blob = bytearray(variant)
    for index, value in edits:
        blob[index % len(blob)] = value
    mutated = bytes(blob[:len(blob) - cut * 7])
    mbfile_reader.decode_fast(variant)  # its shape is known: a mutated copy may take the shape path
    fast = mbfile_reader.decode_fast(mutated)  # never raises
    if fast is not None:
        assert _new(mutated) == _general(mutated)
    assert _new(mutated) == _general(mutated)


def _scan_only(blob: bytes) -> dict[str, object] | None:
    mbfile_reader.forget_shapes()
    return mbfile_reader.decode_fast(blob)


@pytest.mark.parametrize("blob", VARIANTS)
def test_shape_path_equals_scan_path(blob: bytes) -> None:
    mbfile_reader.forget_shapes()
    first = mbfile_reader.decode_fast(blob)  # scanned, shape learnt
    assert first is not None and mbfile_reader._SHAPES
    again = mbfile_reader.decode_fast(blob)  # through the shape
    assert again == first == _scan_only(blob)


def test_shape_path_reads_the_new_values(monkeypatch: pytest.MonkeyPatch) -> None:
    mbfile_reader.forget_shapes()
    template = mbfile_blob(relative_path="Library/a.db", size=7, birth=1_600_000_000, encryption_key=KEY)
    other = mbfile_blob(relative_path="Library/b.db", size=9, birth=1_600_000_123, inode=1001,
                        encryption_key=KEY[:4] + bytes(reversed(range(40))))
    assert len(template) == len(other)
    expected = _scan_only(other)
    mbfile_reader.forget_shapes()
    mbfile_reader.decode_fast(template)

    def no_scan(blob: bytes) -> None:
        raise AssertionError("the shape should have been used")

    monkeypatch.setattr(mbfile_reader, "_scan_objects", no_scan)
    got = mbfile_reader.decode_fast(other)
    assert got == expected
    assert decode_file_blob(other) == BackupFileInfo(
        size=9, mode=0o100644, birth=1_600_000_123, modified=got["LastModified"] if got else None,
        status_changed=got["LastStatusChange"] if got else None, protection_class=3, inode=1001, user_id=501,
        group_id=501, encryption_key=KEY[:4] + bytes(reversed(range(40))))


def test_a_payload_invalid_for_its_object_goes_to_the_scan() -> None:
    mbfile_reader.forget_shapes()
    blob = mbfile_blob(relative_path="Library/a.db", size=7)
    mbfile_reader.decode_fast(blob)
    broken = blob.replace(b"Library/a.db", b"Library/\xff.db")
    assert len(broken) == len(blob) and broken != blob
    assert mbfile_reader.decode_fast(broken) is None  # not ASCII: the scan refuses it as plistlib does
    assert _new(broken) == _general(broken)


def test_a_changed_key_or_class_name_is_not_taken_from_the_shape() -> None:
    mbfile_reader.forget_shapes()
    blob = mbfile_blob(relative_path="Library/a.db", size=7)
    mbfile_reader.decode_fast(blob)
    renamed = blob.replace(b"LastModified", b"LastModifiex")
    assert mbfile_reader.decode_fast(renamed) == _scan_only(renamed)
    assert "LastModifiex" in (mbfile_reader.decode_fast(renamed) or {})
