"""Streaming reader of Android ``adb backup`` files (``.ab``): plain, compressed, AES-256 encrypted.

The format (AOSP backup manager) is a text header followed by the payload::

    ANDROID BACKUP\\n
    <format version>\\n            1 .. 5
    <compressed flag>\\n           0 or 1 (zlib stream, with header)
    <encryption>\\n                "none" or "AES-256"
    -- only when encrypted, each hex-encoded on its own line:
    <user password salt>\\n
    <master key checksum salt>\\n
    <PBKDF2 rounds>\\n             decimal
    <user key IV>\\n
    <master key blob>\\n           AES-256-CBC(user key, IV) of: len|IV  len|master key  len|checksum

The user key is PBKDF2-HMAC-SHA1(password, user salt, rounds, 32 bytes). The checksum is the same
PBKDF2 over the master key, but the key bytes first become Java ``char``s by sign extension and the
chars are then encoded as UTF-8 (format version >= 2) or truncated to 8 bits (version 1); this is
how a wrong password is told apart from a damaged file. The payload is AES-256-CBC with PKCS#7
padding under the master key and IV, then optionally zlib, then a tar stream.

Everything here is incremental: the file is read in chunks, decrypted and inflated on demand, and
the inner tar is walked with ``tarfile`` in stream mode (``r|``). Member names go through the same
safety rules as every other archive (``archive.safe_name``), links are never followed and sizes are
bounded (``ArchiveLimits``).
"""

from __future__ import annotations

import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from spyscan.errors import EvidenceError
from spyscan.evidence.archive import ArchiveLimits, safe_name
from spyscan.texts import tr

MAGIC = b"ANDROID BACKUP"
CHUNK = 64 * 1024
MAX_HEADER_LINE = 4096
MAX_ROUNDS = 10_000_000
WRONG_PASSWORD = tr("wrong Android backup password: it is the password typed on the phone's screen when the backup "
                    "was made, not the phone's screen lock")


@dataclass(frozen=True)
class BackupHeader:
    version: int
    compressed: bool
    encryption: str  # "none" or "AES-256"
    payload_offset: int
    user_salt: bytes = b""
    checksum_salt: bytes = b""
    rounds: int = 0
    user_iv: bytes = b""
    master_blob: bytes = b""

    @property
    def encrypted(self) -> bool:
        return self.encryption != "none"


@dataclass(frozen=True)
class BackupEntry:
    """One file of the inner tar stream (read its content with ``read`` before the next entry)."""

    name: str  # normalised, e.g. "apps/com.android.providers.telephony/d_f/000000_sms_backup"
    size: int
    mtime: float | None
    reader: IO[bytes] | None

    def read(self, limit: int) -> bytes:
        """The entry's content; a damaged entry (cut tar stream, impossible size) is an EvidenceError
        naming it."""
        if self.reader is None:
            return b""
        if self.size < 0:
            raise EvidenceError(tr('%(self)s: the tar header gives an impossible size (%(size)s bytes)',
                                   self=self.name, size=self.size))
        if self.size > limit:
            raise EvidenceError(tr('%(self)s is %(size)s bytes, over the limit of %(limit)s', self=self.name,
                                   size=self.size, limit=limit))
        try:
            data = self.reader.read(self.size)
        except (tarfile.TarError, EOFError, ValueError) as exc:
            raise EvidenceError(tr("%(self)s: the backup's tar stream is damaged (%(error)s)", self=self.name,
                                   error=exc)) from exc
        if len(data) != self.size:
            raise EvidenceError(tr("%(self)s: the backup's tar stream ends inside this entry (%(count)s of %(size)s "
                                   "bytes)", self=self.name, count=len(data), size=self.size))
        return data


def _read_line(fh: IO[bytes]) -> bytes:
    line = fh.readline(MAX_HEADER_LINE)
    if not line.endswith(b"\n"):
        raise EvidenceError(tr('not an Android backup: truncated or over-long header line'))
    return line[:-1]


def _hex(line: bytes, what: str) -> bytes:
    try:
        return bytes.fromhex(line.decode("ascii"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise EvidenceError(tr('Android backup header: %(what)s is not hexadecimal', what=what)) from exc


def read_header(fh: IO[bytes]) -> BackupHeader:
    """Parse the header from the start of ``fh``; leaves ``fh`` at the payload."""
    if _read_line(fh) != MAGIC:
        raise EvidenceError(tr("not an Android backup (the file does not start with 'ANDROID BACKUP')"))
    try:
        version = int(_read_line(fh))
        compressed = int(_read_line(fh)) == 1
    except ValueError as exc:
        raise EvidenceError(tr('Android backup header: version or compression flag is not a number')) from exc
    encryption = _read_line(fh).decode("ascii", errors="replace")
    if version < 1 or version > 10:
        raise EvidenceError(tr('Android backup format version %(version)s is not supported', version=version))
    if encryption == "none":
        return BackupHeader(version=version, compressed=compressed, encryption="none", payload_offset=fh.tell())
    if encryption != "AES-256":
        raise EvidenceError(tr("Android backup encryption '%(encryption)s' is not supported", encryption=encryption))
    user_salt = _hex(_read_line(fh), "user salt")
    checksum_salt = _hex(_read_line(fh), "checksum salt")
    try:
        rounds = int(_read_line(fh))
    except ValueError as exc:
        raise EvidenceError(tr('Android backup header: PBKDF2 rounds is not a number')) from exc
    if not 0 < rounds <= MAX_ROUNDS:
        raise EvidenceError(tr('Android backup header: implausible PBKDF2 rounds %(rounds)s', rounds=rounds))
    user_iv = _hex(_read_line(fh), "IV")
    master_blob = _hex(_read_line(fh), "master key blob")
    return BackupHeader(version=version, compressed=compressed, encryption=encryption, payload_offset=fh.tell(),
                        user_salt=user_salt, checksum_salt=checksum_salt, rounds=rounds, user_iv=user_iv,
                        master_blob=master_blob)


# -- keys ------------------------------------------------------------------------------------


def java_char_bytes(data: bytes, version: int) -> bytes:
    """Bytes PBKDF2 sees for ``data`` turned into Java chars by sign extension (the checksum input).

    A byte >= 0x80 becomes the char U+FF80..U+FFFF; version >= 2 encodes the chars as UTF-8,
    version 1 keeps the low 8 bits (the original bytes).
    """
    if version < 2:
        return data
    return b"".join(bytes([b]) if b < 0x80 else chr(0xFF00 | b).encode("utf-8") for b in data)


def password_bytes(password: str, version: int) -> bytes:
    if version < 2:
        return bytes(ord(c) & 0xFF for c in password)
    return password.encode("utf-8")


def _pbkdf2(secret: bytes, salt: bytes, rounds: int) -> bytes:
    return PBKDF2HMAC(algorithm=hashes.SHA1(), length=32, salt=salt, iterations=rounds).derive(secret)  # noqa: S303


def _aes_cbc_decrypt_all(key: bytes, iv: bytes, data: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(plain) + unpadder.finalize()


def _take(blob: bytes, offset: int) -> tuple[bytes, int]:
    if offset >= len(blob):
        raise InvalidKey
    size = blob[offset]
    end = offset + 1 + size
    if end > len(blob):
        raise InvalidKey
    return blob[offset + 1:end], end


def unlock_master_key(header: BackupHeader, password: str) -> tuple[bytes, bytes]:
    """``(master key, master IV)``; EvidenceError "wrong Android backup password" when it does not verify."""
    if len(header.user_iv) != 16 or not header.master_blob or len(header.master_blob) % 16:
        raise EvidenceError(tr('Android backup header: IV or master key blob has a wrong size'))
    user_key = _pbkdf2(password_bytes(password, header.version), header.user_salt, header.rounds)
    try:
        blob = _aes_cbc_decrypt_all(user_key, header.user_iv, header.master_blob)
        master_iv, offset = _take(blob, 0)
        master_key, offset = _take(blob, offset)
        checksum, _ = _take(blob, offset)
    except (ValueError, InvalidKey) as exc:
        raise EvidenceError(WRONG_PASSWORD) from exc
    if len(master_iv) != 16 or len(master_key) != 32:
        raise EvidenceError(WRONG_PASSWORD)
    expected = _pbkdf2(java_char_bytes(master_key, header.version), header.checksum_salt, header.rounds)
    if expected != checksum:
        raise EvidenceError(WRONG_PASSWORD)
    return master_key, master_iv


# -- payload stream --------------------------------------------------------------------------


class PayloadStream:
    """File-like ``read(n)`` over the decrypted and inflated payload (the tar bytes), bounded."""

    def __init__(self, raw: IO[bytes], header: BackupHeader, key: tuple[bytes, bytes] | None, limit: int) -> None:
        self.raw = raw
        self.limit = limit
        self.produced = 0
        self._buffer = bytearray()
        self._eof = False
        self._decryptor = None
        self._unpadder = None
        if header.encrypted:
            assert key is not None
            self._decryptor = Cipher(algorithms.AES(key[0]), modes.CBC(key[1])).decryptor()
            self._unpadder = padding.PKCS7(128).unpadder()
        self._inflater = zlib.decompressobj() if header.compressed else None
        self._pending = b""  # decrypted, not yet inflated

    def _decrypted_chunk(self) -> bytes | None:
        data = self.raw.read(CHUNK)
        if self._decryptor is None or self._unpadder is None:
            return data or None
        if data:
            return self._unpadder.update(self._decryptor.update(data))
        try:
            tail = self._unpadder.update(self._decryptor.finalize()) + self._unpadder.finalize()
        except ValueError as exc:
            raise EvidenceError(tr('Android backup payload is damaged (bad AES padding)')) from exc
        self._decryptor = None
        return tail or None

    def _fill(self, want: int) -> None:
        while len(self._buffer) < want and not self._eof:
            if self._inflater is None:
                chunk = self._decrypted_chunk()
                if chunk is None:
                    self._eof = True
                    break
                self._push(chunk)
                continue
            if not self._pending:
                chunk = self._decrypted_chunk()
                if chunk is None:
                    self._push(self._inflater.flush())
                    self._eof = True
                    break
                self._pending = chunk
            try:
                out = self._inflater.decompress(self._pending, CHUNK)
            except zlib.error as exc:
                raise EvidenceError(tr('Android backup payload cannot be inflated: %(error)s', error=exc)) from exc
            self._pending = self._inflater.unconsumed_tail
            self._push(out)
            if self._inflater.eof:
                self._eof = True

    def _push(self, data: bytes) -> None:
        self.produced += len(data)
        if self.produced > self.limit:
            raise EvidenceError(tr('Android backup expands beyond the limit of %(limit)s bytes; refused',
                                   limit=self.limit))
        self._buffer += data

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = CHUNK
        self._fill(size)
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out


class BackupReader:
    """Open a ``.ab`` file and walk its tar stream; every call starts a new pass over the file."""

    def __init__(self, path: Path, password: str | None = None, limits: ArchiveLimits | None = None) -> None:
        self.path = path
        self.limits = limits or ArchiveLimits()
        with path.open("rb") as fh:
            self.header = read_header(fh)
        self.size = path.stat().st_size
        self._key: tuple[bytes, bytes] | None = None
        if self.header.encrypted:
            if password is None:
                raise EvidenceError(tr('this Android backup is encrypted; its password is needed'))
            self._key = unlock_master_key(self.header, password)

    def _expansion_limit(self) -> int:
        by_ratio = int(max(self.size, 1 << 20) * self.limits.max_ratio)
        return min(self.limits.max_total_size, by_ratio) + (1 << 20)

    def entries(self) -> Iterator[BackupEntry]:
        """Every regular file of the backup, in stream order (names checked, links skipped)."""
        with self.path.open("rb") as raw:
            raw.seek(self.header.payload_offset)
            stream = PayloadStream(raw, self.header, self._key, self._expansion_limit())
            count = 0
            try:
                with tarfile.open(fileobj=stream, mode="r|") as tar:  # type: ignore[call-overload]
                    for info in tar:
                        count += 1
                        if count > self.limits.max_members:
                            raise EvidenceError(tr('%(self)s has more than %(max_members)s entries; refused',
                                                   self=self.path.name, max_members=self.limits.max_members))
                        name = safe_name(info.name)
                        if not info.isfile() or not name:
                            continue  # folders, links, devices: never followed or read
                        if info.size > self.limits.max_member_size:
                            raise EvidenceError(tr('%(self)s: entry %(name)s is larger than the limit of '
                                                   '%(max_member_size)s bytes', self=self.path.name, name=name,
                                                   max_member_size=self.limits.max_member_size))
                        yield BackupEntry(name=name, size=info.size, mtime=float(info.mtime),
                                          reader=tar.extractfile(info))
            except tarfile.ReadError as exc:
                if count == 0 and "empty file" in str(exc):
                    return
                raise EvidenceError(tr("%(self)s: the backup's tar stream is damaged (%(error)s)", self=self.path.name,
                                       error=exc)) from exc
            except (tarfile.TarError, EOFError) as exc:
                raise EvidenceError(tr("%(self)s: the backup's tar stream is damaged (%(error)s)", self=self.path.name,
                                       error=exc)) from exc
