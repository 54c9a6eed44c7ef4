"""Signing certificates read from APK files: v1, v2, v3, and hostile files that must never raise."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from hypothesis import given, settings
from hypothesis import strategies as st

from spyscan.collect.android.apk_certificate import read_certificate
from tests.collect.apk_builder import V2_ID, V3_ID, certificate, signed_apk, v1_signed_apk


def _write(tmp_path: Path, data: bytes, name: str = "a.apk") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_each_scheme_gives_the_signer_certificate(tmp_path: Path) -> None:
    cert, key = certificate("Signer One")
    expected = hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()
    for name, data, scheme in (("v2.apk", signed_apk(cert, V2_ID), "v2"), ("v3.apk", signed_apk(cert, V3_ID), "v3"),
                               ("v1.apk", v1_signed_apk(cert, key), "v1")):
        found, error = read_certificate(_write(tmp_path, data, name))
        assert found is not None and not error, (name, error)
        fields = found.fields()
        assert (found.scheme, fields["Sha256"], fields["SerialNumber"]) == (scheme, expected, 1234567)
        assert fields["Subject"] == "C=US, O=Example Org, CN=Signer One"
        assert fields["ValidFrom"] == "2020-01-01T00:00:00Z"


def test_unsigned_and_damaged_apks_give_a_reason(tmp_path: Path) -> None:
    cert, _ = certificate()
    good = signed_apk(cert)
    magic = good.index(b"APK Sig Block 42")
    cases = {
        "not a zip": b"hello",
        "cut signing block": good[: magic - 40] + good[magic - 8:],
        "huge size": good[: magic - 8] + (2**40).to_bytes(8, "little") + good[magic:],
    }
    for label, data in cases.items():
        found, error = read_certificate(_write(tmp_path, data))
        assert found is None and error, label


FUZZED = signed_apk(certificate()[0])


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_random_damage_never_raises(data: st.DataObject) -> None:
    apk = bytearray(FUZZED)
    for _ in range(data.draw(st.integers(1, 8))):
        apk[data.draw(st.integers(0, len(apk) - 1))] = data.draw(st.integers(0, 255))
    path = Path(__import__("tempfile").mkdtemp()) / "x.apk"
    path.write_bytes(bytes(apk))
    found, error = read_certificate(path)
    assert (found is None) == bool(error)
