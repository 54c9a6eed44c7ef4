"""AES pieces of backup decryption: wrapped per-file keys and AES-256-CBC bodies."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Protocol

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap

from spyscan.errors import EvidenceError
from spyscan.texts import tr

ZERO_IV = b"\x00" * 16
CHUNK = 1 << 20  # a multiple of the AES block size


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def unwrap_entry_key(class_keys: dict[int, bytes], entry: bytes, what: str) -> bytes:
    """Unwrap a ``<4-byte LE class><wrapped key>`` value (ManifestKey, a file's EncryptionKey)."""
    if len(entry) < 4 + 24:
        raise EvidenceError(tr('the encryption key of %(what)s is too short', what=what))
    (clas,) = struct.unpack("<I", entry[:4])
    class_key = class_keys.get(clas)
    if class_key is None:
        raise EvidenceError(tr('%(what)s uses protection class %(clas)s, absent from the backup keybag', what=what,
                               clas=clas))
    try:
        return aes_key_unwrap(class_key, entry[4:])
    except (InvalidUnwrap, ValueError) as exc:
        raise EvidenceError(tr('the encryption key of %(what)s does not unwrap (damaged backup?)', what=what)) from exc


def decrypt_stream(key: bytes, source: Readable, size: int | None, what: str) -> Iterator[bytes]:
    """Decrypt an AES-256-CBC (zero IV) body; the plaintext is cut to ``size`` when it is known,
    otherwise its PKCS#7 padding is removed."""
    decryptor = Cipher(algorithms.AES(key), modes.CBC(ZERO_IV)).decryptor()
    produced = 0
    pending = b""
    while chunk := source.read(CHUNK):
        out = pending + decryptor.update(chunk)
        pending, out = out[-16:], out[:-16]
        if size is not None:
            out = out[: max(0, size - produced)]
        produced += len(out)
        if out:
            yield out
    try:
        tail = pending + decryptor.finalize()
    except ValueError as exc:
        raise EvidenceError(tr('%(what)s is not a whole number of AES blocks (damaged backup?)', what=what)) from exc
    if size is not None:
        if produced + len(tail) < size:
            raise EvidenceError(tr('%(what)s is shorter than its recorded size (damaged backup?)', what=what))
        yield tail[: max(0, size - produced)]
        return
    if not tail or not 1 <= tail[-1] <= 16:
        raise EvidenceError(tr('%(what)s has invalid padding after decryption (damaged backup?)', what=what))
    yield tail[: -tail[-1]]


def decrypt_bytes(key: bytes, data: bytes, size: int | None, what: str) -> bytes:
    import io

    return b"".join(decrypt_stream(key, io.BytesIO(data), size, what))
