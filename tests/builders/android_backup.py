"""Write real Android ``adb backup`` files (``.ab``): plain, zlib-compressed and AES-256 encrypted.

The encrypted layout follows the AOSP backup manager: a random master key and IV encrypt the
payload; the master key blob (IV, key and a PBKDF2 checksum of the key, each length-prefixed) is
encrypted under a PBKDF2-SHA1 key derived from the password. The checksum input is the master key
turned into Java chars by sign extension and encoded as UTF-8 (format version >= 2).
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

TELEPHONY = "apps/com.android.providers.telephony/d_f"


def _pbkdf2(secret: bytes, salt: bytes, rounds: int) -> bytes:
    return PBKDF2HMAC(algorithm=hashes.SHA1(), length=32, salt=salt, iterations=rounds).derive(secret)


def _java_chars_utf8(data: bytes) -> bytes:
    return b"".join(bytes([b]) if b < 0x80 else chr(0xFF00 | b).encode("utf-8") for b in data)


def _pad(data: bytes) -> bytes:
    padder = padding.PKCS7(128).padder()
    return padder.update(data) + padder.finalize()


def sms_backup(messages: list[dict[str, object]]) -> bytes:
    """The telephony provider's ``*_sms_backup``/``*_mms_backup`` file: zlib-compressed JSON array."""
    return zlib.compress(json.dumps(messages).encode("utf-8"))


def tar_bytes(files: Iterable[tuple[str, bytes]], mtime: int = 1_646_519_315) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = mtime
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def ab_header(*, compressed: bool, password: str | None, version: int = 5, rounds: int = 10_000
              ) -> tuple[bytes, bytes, bytes]:
    """``(header bytes, master key, master IV)``; key and IV are empty for an unencrypted backup."""
    lines = [b"ANDROID BACKUP", str(version).encode(), b"1" if compressed else b"0"]
    if password is None:
        return b"\n".join([*lines, b"none"]) + b"\n", b"", b""
    user_salt, checksum_salt = os.urandom(64), os.urandom(64)
    user_iv, master_iv, key = os.urandom(16), os.urandom(16), os.urandom(32)
    checksum = _pbkdf2(_java_chars_utf8(key) if version >= 2 else key, checksum_salt, rounds)
    blob = bytes([16]) + master_iv + bytes([32]) + key + bytes([32]) + checksum
    secret = password.encode("utf-8") if version >= 2 else bytes(ord(c) & 0xFF for c in password)
    enc = Cipher(algorithms.AES(_pbkdf2(secret, user_salt, rounds)), modes.CBC(user_iv)).encryptor()
    master_blob = enc.update(_pad(blob)) + enc.finalize()
    lines += [b"AES-256", user_salt.hex().upper().encode(), checksum_salt.hex().upper().encode(),
              str(rounds).encode(), user_iv.hex().upper().encode(), master_blob.hex().upper().encode()]
    return b"\n".join(lines) + b"\n", key, master_iv


class _PayloadWriter:
    """Compress (optionally) and encrypt (optionally) a payload written in pieces."""

    def __init__(self, out: io.BufferedWriter, compressed: bool, key: bytes, iv: bytes) -> None:
        self.out = out
        self.deflater = zlib.compressobj() if compressed else None
        self.cipher = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor() if key else None
        self.padder = padding.PKCS7(128).padder() if key else None

    def write(self, data: bytes, final: bool = False) -> None:
        if self.deflater is not None:
            data = self.deflater.compress(data) + (self.deflater.flush() if final else b"")
        if self.cipher is not None and self.padder is not None:
            data = self.cipher.update(self.padder.update(data))
            if final:
                data += self.cipher.update(self.padder.finalize()) + self.cipher.finalize()
        self.out.write(data)


def write_ab(path: Path, payload_tar: bytes, *, compressed: bool = True, password: str | None = None,
             version: int = 5, rounds: int = 10_000) -> Path:
    """Write ``payload_tar`` (tar bytes) as a ``.ab`` file."""
    head, key, iv = ab_header(compressed=compressed, password=password, version=version, rounds=rounds)
    with path.open("wb") as out:
        out.write(head)
        _PayloadWriter(out, compressed, key, iv).write(payload_tar, final=True)
    return path


def write_large_ab(path: Path, size: int, *, password: str | None, compressed: bool) -> Path:
    """A backup whose tar stream holds a ``size``-byte random member, then one SMS file; written in chunks."""
    sms = sms_backup([{"address": "+100", "body": "large backup marker", "date": "1700000000000", "type": "1"}])
    head, key, iv = ab_header(compressed=compressed, password=password)
    with path.open("wb") as out:
        out.write(head)
        writer = _PayloadWriter(out, compressed, key, iv)
        info = tarfile.TarInfo("apps/com.example.big/f/blob.bin")
        info.size = size
        writer.write(info.tobuf(format=tarfile.USTAR_FORMAT))
        left = size
        while left:
            chunk = os.urandom(min(left, 1 << 20))
            writer.write(chunk)
            left -= len(chunk)
        if size % 512:
            writer.write(b"\0" * (512 - size % 512))
        writer.write(tar_bytes([(f"{TELEPHONY}/000000_sms_backup", sms)]), final=True)
    return path
