"""Small real APK files for tests: a zip with an APK Signing Block (v2 or v3) or a JAR signature (v1).

The block layout follows https://source.android.com/docs/security/features/apksigning/v2: the block
(size, ID-value pairs, size, magic) is inserted between the last zip entry and the central directory,
whose offset in the end record is moved accordingly. Digests and signatures are placeholders: spyscan
reads the certificate, it does not verify the signature.
"""

from __future__ import annotations

import datetime
import io
import struct
import zipfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from cryptography.x509.oid import NameOID

V2_ID, V3_ID = 0x7109871A, 0xF05368C0


def certificate(common_name: str = "Example Developer") -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Org"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1234567).not_valid_before(start).not_valid_after(start + datetime.timedelta(days=9000))
            .sign(key, hashes.SHA256()))
    return cert, key


def _prefixed(data: bytes) -> bytes:
    return struct.pack("<I", len(data)) + data


def _zip(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("AndroidManifest.xml", b"\x03\x00\x08\x00fake manifest")
        archive.writestr("classes.dex", b"dex\n035\x00" + bytes(64))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def signed_apk(cert: x509.Certificate, scheme_id: int = V2_ID) -> bytes:
    der = cert.public_bytes(Encoding.DER)
    digests = _prefixed(_prefixed(struct.pack("<I", 0x0103) + _prefixed(bytes(32))))
    signed_data = digests + _prefixed(_prefixed(der)) + _prefixed(b"")
    if scheme_id == V3_ID:
        signed_data += struct.pack("<II", 24, 0x7FFFFFFF)
    signer = _prefixed(signed_data)
    if scheme_id == V3_ID:
        signer += struct.pack("<II", 24, 0x7FFFFFFF)
    signer += _prefixed(_prefixed(struct.pack("<I", 0x0103) + _prefixed(bytes(64)))) + _prefixed(b"key")
    value = _prefixed(_prefixed(signer))
    pair = struct.pack("<Q", len(value) + 4) + struct.pack("<I", scheme_id) + value
    size = len(pair) + 8 + 16
    block = struct.pack("<Q", size) + pair + struct.pack("<Q", size) + b"APK Sig Block 42"
    plain = _zip()
    end = plain.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", plain, end + 16)[0]
    moved = plain[end:end + 16] + struct.pack("<I", cd_offset + len(block)) + plain[end + 20:]
    return plain[:cd_offset] + block + plain[cd_offset:end] + moved


def v1_signed_apk(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> bytes:
    signature = (pkcs7.PKCS7SignatureBuilder().set_data(b"manifest").add_signer(cert, key, hashes.SHA256())
                 .sign(Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature]))
    return _zip({"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n", "META-INF/CERT.EC": signature})
