"""Streaming decryption of age-encrypted files (``.age``), e.g. androidqf ``.zip.age`` acquisitions.

Two ways to unlock a file:

* an identity file (``AGE-SECRET-KEY-1...`` lines, or an OpenSSH private key): decrypted by the
  pinned ``pyrage`` library with ``decrypt_io``, streaming from the input to the output file;
* a passphrase (the ``scrypt`` recipient): ``pyrage`` only offers an in-memory call for this one,
  so the format (age-encryption.org/v1: scrypt-wrapped file key, HMAC'd header, ChaCha20-Poly1305
  STREAM payload in 64 KiB chunks) is decrypted here chunk by chunk with ``hashlib``/``cryptography``.

Neither the passphrase nor the key is written anywhere; only the plaintext goes to ``dest``, which
must be inside the run's private work folder.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path
from typing import BinaryIO

from spyscan.errors import EvidenceError
from spyscan.evidence.diskspace import GuardedSink, writing
from spyscan.texts import tr

AGE_MAGIC = b"age-encryption.org/v1"
CHUNK = 64 * 1024
TAG = 16
MAX_HEADER = 64 * 1024
MAX_SCRYPT_LOG_N = 22  # 4 GiB of scrypt memory at most: refuse absurd work factors


def is_age_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(AGE_MAGIC)) == AGE_MAGIC
    except OSError:
        return False


def _b64(text: bytes) -> bytes:
    raw = text.strip()
    return base64.b64decode(raw + b"=" * (-len(raw) % 4), validate=True)


class _Header:
    def __init__(self, stanzas: list[tuple[list[bytes], bytes]], mac: bytes, signed: bytes) -> None:
        self.stanzas = stanzas
        self.mac = mac
        self.signed = signed  # header bytes covered by the MAC


def _read_header(fh: BinaryIO) -> _Header:
    first = fh.readline(MAX_HEADER)
    if first.rstrip(b"\n") != AGE_MAGIC:
        raise EvidenceError(tr('not an age-encrypted file (missing age-encryption.org/v1 header)'))
    signed = bytearray(first)
    stanzas: list[tuple[list[bytes], bytes]] = []
    while True:
        line = fh.readline(MAX_HEADER)
        if not line.endswith(b"\n") or len(signed) > MAX_HEADER:
            raise EvidenceError(tr('damaged age header'))
        if line.startswith(b"--- "):
            signed += b"---"
            return _Header(stanzas, _b64(line[4:]), bytes(signed))
        signed += line
        if not line.startswith(b"-> "):
            raise EvidenceError(tr('damaged age header (unexpected line)'))
        args = line[3:].split()
        body = bytearray()
        while True:  # body lines are 64 columns, the last one shorter (possibly empty)
            body_line = fh.readline(MAX_HEADER)
            if not body_line.endswith(b"\n"):
                raise EvidenceError(tr('damaged age header (truncated stanza)'))
            signed += body_line
            body += body_line.rstrip(b"\n")
            if len(body_line.rstrip(b"\n")) < 64:
                break
        stanzas.append((args, _b64(bytes(body)) if body else b""))


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)


def _file_key_from_passphrase(header: _Header, passphrase: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    scrypt = [(args, body) for args, body in header.stanzas if args and args[0] == b"scrypt"]
    if not scrypt:
        raise EvidenceError(tr('this age file is not passphrase-protected; give the age identity file (--identity)'))
    if len(header.stanzas) != 1:
        raise EvidenceError(tr('damaged age header (a passphrase stanza must be alone)'))
    args, body = scrypt[0]
    if len(args) != 3 or not (args[2].isascii() and args[2].isdigit() and len(args[2]) < 4):
        raise EvidenceError(tr('damaged age header (scrypt stanza)'))
    salt = _b64(args[1])
    log_n = int(args[2])
    if log_n > MAX_SCRYPT_LOG_N or log_n < 1 or len(salt) != 16:
        raise EvidenceError(tr('age scrypt work factor %(log_n)s refused', log_n=log_n))
    key = hashlib.scrypt(passphrase.encode("utf-8"), salt=b"age-encryption.org/v1/scrypt" + salt,
                         n=1 << log_n, r=8, p=1, maxmem=(128 * 8 * (1 << log_n)) + (64 << 20), dklen=32)
    try:
        return ChaCha20Poly1305(key).decrypt(b"\x00" * 12, body, None)
    except InvalidTag as exc:
        raise EvidenceError(tr("wrong age passphrase: it is the passphrase the acquisition was encrypted with "
                               "(given to androidqf or spyscan collect), not the phone's unlock code")) from exc


def _decrypt_payload(fh: BinaryIO, out: BinaryIO | GuardedSink, file_key: bytes) -> int:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    nonce = fh.read(16)
    if len(nonce) != 16:
        raise EvidenceError(tr('damaged age file (no payload)'))
    aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    counter = 0
    written = 0
    chunk = fh.read(CHUNK + TAG)
    while True:
        following = fh.read(CHUNK + TAG)
        last = not following
        chunk_nonce = counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
        try:
            plain = aead.decrypt(chunk_nonce, chunk, None)
        except InvalidTag as exc:
            raise EvidenceError(tr('age payload chunk %(counter)s fails authentication (damaged or truncated)',
                                   counter=counter)) from exc
        if not plain and (counter > 0 or not last):
            raise EvidenceError(tr('damaged age file (empty chunk)'))
        out.write(plain)
        written += len(plain)
        if last:
            return written
        chunk = following
        counter += 1


def decrypt_with_passphrase(src: Path, dest: Path, passphrase: str) -> int:
    """Decrypt the passphrase-protected age file ``src`` to ``dest``; returns the plaintext size."""
    with src.open("rb") as fh:
        header = _read_header(fh)
        file_key = _file_key_from_passphrase(header, passphrase)
        mac = hmac.new(_hkdf(file_key, b"", b"header"), header.signed, "sha256").digest()
        if not hmac.compare_digest(mac, header.mac):
            raise EvidenceError(tr('age header authentication failed (damaged file)'))
        with writing(dest.name), dest.open("wb") as out:
            return _decrypt_payload(fh, GuardedSink(out, dest.name), file_key)


def load_identities(identity_file: Path) -> list[object]:
    """The age identities in ``identity_file`` (native X25519 keys, or one OpenSSH private key)."""
    import pyrage

    try:
        data = identity_file.read_bytes()
    except OSError as exc:
        raise EvidenceError(tr('cannot read the age identity file %(identity_file)s: %(strerror)s',
                               identity_file=identity_file, strerror=exc.strerror)) from exc
    text = data.decode("utf-8", errors="replace")
    identities: list[object] = []
    try:
        if "PRIVATE KEY-----" in text:
            identities.append(pyrage.ssh.Identity.from_buffer(data))
        for line in text.splitlines():
            line = line.strip()
            if line.upper().startswith("AGE-SECRET-KEY-"):
                identities.append(pyrage.x25519.Identity.from_str(line))
    except pyrage.IdentityError as exc:
        raise EvidenceError(tr('%(identity_file)s is not a usable age identity file: %(error)s',
                               identity_file=identity_file.name, error=exc)) from exc
    if not identities:
        raise EvidenceError(tr('%(identity_file)s contains no age identity (AGE-SECRET-KEY-1... line)',
                               identity_file=identity_file.name))
    return identities


def decrypt_with_identity(src: Path, dest: Path, identity_file: Path) -> int:
    """Decrypt ``src`` to ``dest`` with the identities of ``identity_file`` (streaming, via pyrage)."""
    import pyrage

    identities = load_identities(identity_file)
    try:
        with writing(dest.name), src.open("rb") as fh, dest.open("wb") as out:
            pyrage.decrypt_io(fh, GuardedSink(out, dest.name), identities)
    except pyrage.DecryptError as exc:
        dest.unlink(missing_ok=True)
        raise EvidenceError(tr('cannot decrypt %(src)s with the given age identity: %(error)s', src=src.name,
                               error=exc)) from exc
    return dest.stat().st_size


def header_recipient_types(src: Path) -> list[str]:
    """Recipient stanza types in the header (``scrypt``, ``X25519``, ``ssh-ed25519``...)."""
    with src.open("rb") as fh:
        header = _read_header(fh)
    return [args[0].decode("ascii", "replace") for args, _ in header.stanzas if args]
