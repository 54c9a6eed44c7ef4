"""The signing certificate of an APK, read from the file (it is not verified: see ``verified``).

APK Signature Scheme v2/v3 (https://source.android.com/docs/security/features/apksigning/v2, .../v3): an
"APK Signing Block" sits just before the zip central directory; it ends with its size (uint64) and the
magic ``APK Sig Block 42``, and holds ID-value pairs. The v2 (``0x7109871a``), v3 (``0xf05368c0``) and
v3.1 (``0x1b93ad61``) values are length-prefixed lists of signers, each starting with length-prefixed
signed data: digests, then the list of DER certificates (the first is the signer's). APKs signed only
with the JAR scheme (v1) carry the certificate in ``META-INF/*.RSA``/``.DSA``/``.EC`` (PKCS #7).

Every length is checked against what remains; a malformed APK gives an error string, never an exception.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"APK Sig Block 42"
EOCD = b"PK\x05\x06"
SCHEME_IDS = (0x1B93AD61, 0xF05368C0, 0x7109871A)  # v3.1, v3, v2: the newest scheme's signer first
MAX_BLOCK = 64 << 20
MAX_CERT = 64 << 10
V1_SUFFIXES = (".RSA", ".DSA", ".EC")


class MalformedApk(ValueError):
    pass


@dataclass(frozen=True)
class Certificate:
    der: bytes
    scheme: str  # "v2", "v3", "v3.1" or "v1"

    def fields(self) -> dict[str, object]:
        """androidqf's ``certificate`` object (capitalised keys) for ``packages.json``."""
        from cryptography import x509

        cert = x509.load_der_x509_certificate(self.der)
        algorithm = cert.signature_algorithm_oid
        return {
            "Md5": hashlib.md5(self.der).hexdigest(),  # noqa: S324 - a fingerprint, not a security use
            "Sha1": hashlib.sha1(self.der).hexdigest(),  # noqa: S324 - a fingerprint, not a security use
            "Sha256": hashlib.sha256(self.der).hexdigest(),
            "ValidFrom": cert.not_valid_before_utc.isoformat().replace("+00:00", "Z"),
            "ValidTo": cert.not_valid_after_utc.isoformat().replace("+00:00", "Z"),
            "Issuer": _name(cert.issuer),
            "Subject": _name(cert.subject),
            "SignatureAlgorithm": getattr(algorithm, "_name", algorithm.dotted_string),
            "SerialNumber": cert.serial_number,
        }


def _name(name: object) -> str:
    parts = []
    for rdn in getattr(name, "rdns", []):
        for attr in rdn:
            parts.append(f"{attr.rfc4514_attribute_name}={attr.value}")
    return ", ".join(parts)


def _u32(data: bytes, at: int) -> int:
    if at + 4 > len(data):
        raise MalformedApk("length field past the end")
    return int(struct.unpack_from("<I", data, at)[0])


def _prefixed(data: bytes, at: int, end: int) -> tuple[bytes, int]:
    """The length-prefixed value at ``at`` and the position after it."""
    length = _u32(data, at)
    start = at + 4
    if start + length > end:
        raise MalformedApk("a length-prefixed value runs past its container")
    return data[start:start + length], start + length


def _central_directory_offset(fh: object, size: int) -> int:
    tail_len = min(size, 65557)
    fh.seek(size - tail_len)  # type: ignore[attr-defined]
    tail: bytes = fh.read(tail_len)  # type: ignore[attr-defined]
    at = tail.rfind(EOCD)
    while at >= 0:
        if at + 22 <= len(tail):
            comment = struct.unpack_from("<H", tail, at + 20)[0]
            if at + 22 + comment == len(tail):
                return int(struct.unpack_from("<I", tail, at + 16)[0])
        at = tail.rfind(EOCD, 0, at)
    raise MalformedApk("no zip end-of-central-directory record")


def _signing_block(path: Path) -> bytes | None:
    size = path.stat().st_size
    with path.open("rb") as fh:
        cd = _central_directory_offset(fh, size)
        if cd < 32 or cd > size:
            return None
        fh.seek(cd - 24)
        footer = fh.read(24)
        if footer[8:] != MAGIC:
            return None
        block_size = struct.unpack_from("<Q", footer, 0)[0]
        if block_size < 24 or block_size > MAX_BLOCK or block_size + 8 > cd:
            raise MalformedApk("APK Signing Block size is not plausible")
        fh.seek(cd - block_size - 8)
        block: bytes = fh.read(block_size + 8)
    if struct.unpack_from("<Q", block, 0)[0] != block_size:
        raise MalformedApk("APK Signing Block sizes disagree")
    return block[8:-24]


def _pairs(pairs: bytes) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    at = 0
    while at + 12 <= len(pairs):
        length = struct.unpack_from("<Q", pairs, at)[0]
        if length < 4 or at + 8 + length > len(pairs):
            raise MalformedApk("an ID-value pair runs past the signing block")
        found[_u32(pairs, at + 8)] = pairs[at + 12:at + 8 + length]
        at += 8 + length
    return found


def _first_certificate(value: bytes) -> bytes:
    signers, _ = _prefixed(value, 0, len(value))
    signer, _ = _prefixed(signers, 0, len(signers))
    signed, _ = _prefixed(signer, 0, len(signer))
    _digests, at = _prefixed(signed, 0, len(signed))
    certificates, _ = _prefixed(signed, at, len(signed))
    der, _ = _prefixed(certificates, 0, len(certificates))
    if not der or len(der) > MAX_CERT:
        raise MalformedApk("no signer certificate")
    return der


def _v1_certificate(path: Path) -> bytes | None:
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

    with zipfile.ZipFile(path) as apk:
        for info in apk.infolist():
            name = info.filename
            if name.startswith("META-INF/") and name.upper().endswith(V1_SUFFIXES) and info.file_size <= MAX_CERT:
                certs = pkcs7.load_der_pkcs7_certificates(apk.read(info))
                if certs:
                    return certs[0].public_bytes(Encoding.DER)
    return None


SCHEME_NAMES = {0x7109871A: "v2", 0xF05368C0: "v3", 0x1B93AD61: "v3.1"}


def read_certificate(path: Path) -> tuple[Certificate | None, str]:
    """``(certificate, error)``: the signer's certificate, or None with the reason."""
    try:
        block = _signing_block(path)
        if block is not None:
            pairs = _pairs(block)
            for scheme in SCHEME_IDS:
                if scheme in pairs:
                    return Certificate(_first_certificate(pairs[scheme]), SCHEME_NAMES[scheme]), ""
        der = _v1_certificate(path)
        if der is not None:
            return Certificate(der, "v1"), ""
        return None, "no signature found in the APK"
    except (MalformedApk, zipfile.BadZipFile, ValueError, OSError, struct.error) as exc:
        return None, f"unreadable signature: {exc}"
