"""The streaming .ab reader: plain, compressed, encrypted (right and wrong password), limits, memory."""

from __future__ import annotations

import tarfile
import tracemalloc
from pathlib import Path

import pytest

from builders.android_backup import TELEPHONY, ab_header, sms_backup, tar_bytes, write_ab, write_large_ab
from spyscan.errors import EvidenceError
from spyscan.evidence.android_backup_stream import BackupReader, java_char_bytes
from spyscan.evidence.archive import ArchiveLimits

SMS = [{"address": "+33600000000", "body": "see https://example.org/x", "date": "1700000000000", "type": "1"}]
FILES = [(f"{TELEPHONY}/000000_sms_backup", sms_backup(SMS)), ("apps/com.example/f/notes.txt", b"hello")]


def _read_all(reader: BackupReader) -> dict[str, bytes]:
    return {e.name: e.read(1 << 20) for e in reader.entries()}


@pytest.mark.parametrize("compressed", [False, True])
@pytest.mark.parametrize("password", [None, "correct horse", "pässwörd-ü"])
def test_every_variant_yields_the_same_files(tmp_path: Path, compressed: bool, password: str | None) -> None:
    path = write_ab(tmp_path / "b.ab", tar_bytes(FILES), compressed=compressed, password=password)
    reader = BackupReader(path, password)
    assert reader.header.compressed is compressed
    assert reader.header.encrypted is (password is not None)
    assert _read_all(reader) == dict(FILES)


def test_version_1_encrypted_backup(tmp_path: Path) -> None:
    path = write_ab(tmp_path / "v1.ab", tar_bytes(FILES), password="secret", version=1)
    assert _read_all(BackupReader(path, "secret")) == dict(FILES)


@pytest.mark.parametrize("wrong", ["wrong", "", "correct horse "])
def test_wrong_password_is_a_clear_error(tmp_path: Path, wrong: str) -> None:
    path = write_ab(tmp_path / "b.ab", tar_bytes(FILES), password="correct horse")
    with pytest.raises(EvidenceError, match=r"^wrong Android backup password: .*not the phone.s screen lock$"):
        BackupReader(path, wrong)


def test_missing_password_for_encrypted_backup(tmp_path: Path) -> None:
    path = write_ab(tmp_path / "b.ab", tar_bytes(FILES), password="pw")
    with pytest.raises(EvidenceError, match="encrypted"):
        BackupReader(path, None)


def test_java_char_conversion_sign_extends_high_bytes() -> None:
    assert java_char_bytes(b"\x00\x7f", 5) == b"\x00\x7f"
    assert java_char_bytes(b"\x80", 5) == "\uff80".encode() == b"\xef\xbe\x80"
    assert java_char_bytes(b"\xff", 5) == b"\xef\xbf\xbf"
    assert java_char_bytes(b"\x80\xff", 1) == b"\x80\xff"


def test_not_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "x.ab"
    path.write_bytes(b"PK\x03\x04 not a backup")
    with pytest.raises(EvidenceError, match="not an Android backup"):
        BackupReader(path)


def test_damaged_compressed_payload(tmp_path: Path) -> None:
    path = write_ab(tmp_path / "b.ab", tar_bytes(FILES), compressed=True)
    data = bytearray(path.read_bytes())
    head = len(ab_header(compressed=True, password=None)[0])
    data[head + 10: head + 40] = b"\xff" * 30
    path.write_bytes(bytes(data))
    with pytest.raises(EvidenceError):
        _read_all(BackupReader(path))


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "apps/../../x"])
def test_unsafe_member_names_refuse_the_backup(tmp_path: Path, name: str) -> None:
    path = write_ab(tmp_path / "b.ab", tar_bytes([(name, b"x")]))
    with pytest.raises(EvidenceError, match="refused"):
        _read_all(BackupReader(path))


def test_links_are_never_followed(tmp_path: Path) -> None:
    import io

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        link = tarfile.TarInfo("apps/a/link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
        info = tarfile.TarInfo("apps/a/real")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"ok"))
    path = write_ab(tmp_path / "b.ab", buffer.getvalue())
    assert _read_all(BackupReader(path)) == {"apps/a/real": b"ok"}


def test_member_size_limit(tmp_path: Path) -> None:
    path = write_ab(tmp_path / "b.ab", tar_bytes([("apps/a/big", b"x" * 5000)]))
    with pytest.raises(EvidenceError, match="larger than the limit"):
        _read_all(BackupReader(path, limits=ArchiveLimits(max_member_size=4096)))


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    path = write_ab(tmp_path / "b.ab", tar_bytes([("apps/a/zeros", b"\0" * (8 << 20))]), compressed=True)
    limits = ArchiveLimits(max_ratio=2)
    with pytest.raises(EvidenceError, match="expands beyond"):
        [e.name for e in BackupReader(path, limits=limits).entries()]


@pytest.mark.parametrize("password", [None, "pw"])
def test_streaming_keeps_memory_far_below_the_file_size(tmp_path: Path, password: str | None) -> None:
    size = 12 << 20
    path = write_large_ab(tmp_path / "large.ab", size, password=password, compressed=True)
    assert path.stat().st_size > size
    tracemalloc.start()
    try:
        reader = BackupReader(path, password)
        seen: dict[str, int] = {}
        for entry in reader.entries():
            if entry.name.endswith("_sms_backup"):
                seen[entry.name] = len(entry.read(1 << 20))
            else:
                seen[entry.name] = entry.size
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen["apps/com.example.big/f/blob.bin"] == size
    assert f"{TELEPHONY}/000000_sms_backup" in seen
    assert peak < size // 8, f"peak allocation {peak} bytes for a {size}-byte backup"
