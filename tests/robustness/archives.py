"""Hostile archives for the robustness tests, built with zipfile/tarfile or as raw zip bytes."""

from __future__ import annotations

import io
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

SYMLINK_MODE = 0o120777


def write_zip(path: Path, members: Iterable[tuple[str, bytes]], *, symlinks: Iterable[tuple[str, str]] = (),
              compress: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compress) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 2, 3, 4, 5))
            info.compress_type = compress
            zf.writestr(info, data)
        for name, target in symlinks:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 2, 3, 4, 5))
            info.external_attr = SYMLINK_MODE << 16
            info.create_system = 3
            zf.writestr(info, target)
    return path


def write_tar(path: Path, members: Iterable[tuple[str, bytes]], *, links: Iterable[tuple[str, str, bytes]] = (),
              mode: str = "w") -> Path:
    """``links``: ``(name, target, type)`` with type ``tarfile.SYMTYPE`` or ``tarfile.LNKTYPE``."""
    with tarfile.open(path, mode) as tf:  # type: ignore[call-overload]
        for name, target, kind in links:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = target
            tf.addfile(info)
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_700_000_000
            tf.addfile(info, io.BytesIO(data))
    return path


def tar_bytes(members: Iterable[tuple[str, bytes]], links: Iterable[tuple[str, str, bytes]] = ()) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name, target, kind in links:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = target
            tf.addfile(info)
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def raw_tiny_zip(path: Path, count: int) -> Path:
    """A real, valid zip of ``count`` empty stored members written directly (fast even for a million).

    Uses the zip64 end records when ``count`` exceeds 65535, as zip writers do.
    """
    crc = zlib.crc32(b"")
    local_parts: list[bytes] = []
    central_parts: list[bytes] = []
    offset = 0
    for i in range(count):
        name = f"d/{i:07d}".encode()
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, crc, 0, 0, len(name), 0) + name
        central_parts.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0x21, crc, 0, 0,
                                         len(name), 0, 0, 0, 0, 0, offset) + name)
        local_parts.append(local)
        offset += len(local)
    central = b"".join(central_parts)
    cd_offset = offset
    with path.open("wb") as fh:
        fh.write(b"".join(local_parts))
        fh.write(central)
        if count > 0xFFFF:
            eocd64_offset = cd_offset + len(central)
            fh.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(central),
                                 cd_offset))
            fh.write(struct.pack("<IIQI", 0x07064B50, 0, eocd64_offset, 1))
            fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
        else:
            fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), cd_offset, 0))
    return path


def nested_zip(path: Path, depth: int, leaf: bytes = b"leaf") -> Path:
    """A zip holding ``inner.zip`` holding ... ``depth`` levels, the innermost holding ``leaf.txt``."""
    data = _zip_bytes([("leaf.txt", leaf)])
    for _ in range(depth - 1):
        data = _zip_bytes([("inner.zip", data)])
    path.write_bytes(data)
    return path


def _zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()
