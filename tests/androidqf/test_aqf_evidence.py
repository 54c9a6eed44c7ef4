"""androidqf evidence: folder, zip and age-encrypted zip look the same to artifacts."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pyrage
import pytest

from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.age import decrypt_with_identity, decrypt_with_passphrase, header_recipient_types
from spyscan.evidence.secrets import Secrets
from spyscan.kinds import all_kinds, detect_kind
from spyscan.kinds.androidqf import AndroidQFEvidence
from tests.androidqf.helpers import collect, open_evidence
from tests.builders.androidqf import age_passphrase_encrypt, build_androidqf, package

EVIL = package("com.gu.activity", installer=None)


def _packages(evidence: AndroidQFEvidence) -> set[str]:
    records, _ = collect(evidence, "android.androidqf.packages")
    return {r.package for r in records}  # type: ignore[attr-defined]


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_plain_forms_detect_and_read(tmp_path: Path, form: str) -> None:
    path = build_androidqf(tmp_path / "acq", packages=[EVIL], form=form)
    assert detect_kind(path) == "androidqf"
    evidence = open_evidence(path, tmp_path / "work")
    assert "com.gu.activity" in _packages(evidence)
    assert "logs/uiderrors.txt" in evidence.list_files("logs")
    assert set(evidence.dumpsys_sections()) == {"accessibility", "package", "appops"}
    if form == "zip":  # members are extracted into the private work folder, and hashed for custody
        assert evidence.resolve("packages.json").is_relative_to(tmp_path / "work")
        assert "packages.json" in evidence.inputs
    evidence.close()


def test_zip_with_a_top_folder(tmp_path: Path) -> None:
    folder = build_androidqf(tmp_path / "acq")
    archive = tmp_path / "nested.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.rglob("*"):
            if path.is_file():
                zf.write(path, "5d1d7ad4/" + path.relative_to(folder).as_posix())
    assert AndroidQFEvidence.detect(archive)
    evidence = open_evidence(archive, tmp_path / "work")
    assert "org.telegram.messenger" in _packages(evidence)


def test_zip_without_markers_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert not AndroidQFEvidence.detect(archive)
    with pytest.raises(EvidenceError, match="androidqf"):
        open_evidence(archive, tmp_path / "work")


def test_zip_with_escaping_member_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("packages.json", "[]")
        zf.writestr("getprop.txt", "")
        zf.writestr("../../outside.txt", "x")
    with pytest.raises(EvidenceError, match="escaping"):
        open_evidence(archive, tmp_path / "work")


def test_age_with_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_androidqf(tmp_path / "acq", packages=[EVIL], form="age", passphrase="s3cret pass")
    assert path.name == "acq.zip.age" and detect_kind(path) == "androidqf"
    monkeypatch.setenv("AQF_PASS", "s3cret pass")
    evidence = open_evidence(path, tmp_path / "work", Secrets(password_env="AQF_PASS", interactive=False))
    assert "com.gu.activity" in _packages(evidence)
    monkeypatch.setenv("AQF_PASS", "wrong")
    with pytest.raises(EvidenceError, match="wrong age passphrase"):
        open_evidence(path, tmp_path / "work2", Secrets(password_env="AQF_PASS", interactive=False))


def test_age_with_identity_file(tmp_path: Path) -> None:
    key = tmp_path / "key.txt"
    path = build_androidqf(tmp_path / "acq", packages=[EVIL], form="age", identity=key)
    evidence = open_evidence(path, tmp_path / "work", Secrets(identity=key, interactive=False))
    assert "com.gu.activity" in _packages(evidence)
    with pytest.raises(EvidenceError, match="--identity"):
        open_evidence(path, tmp_path / "work2", Secrets(interactive=False))
    other = tmp_path / "other.txt"
    other.write_text(str(pyrage.x25519.Identity.generate()) + "\n")
    with pytest.raises(EvidenceError, match="cannot decrypt"):
        open_evidence(path, tmp_path / "work3", Secrets(identity=other, interactive=False))


def test_streaming_passphrase_decryption_reads_pyrage_output(tmp_path: Path) -> None:
    data = os.urandom(65536 * 2 + 17)  # three chunks, the last one short
    src = tmp_path / "x.age"
    src.write_bytes(pyrage.passphrase.encrypt(data, "pw"))  # pyrage's own (slow, calibrated) work factor
    assert header_recipient_types(src) == ["scrypt"]
    assert decrypt_with_passphrase(src, tmp_path / "out", "pw") == len(data)
    assert (tmp_path / "out").read_bytes() == data


@pytest.mark.parametrize("size", [0, 1, 65536, 65536 * 3])
def test_streaming_passphrase_decryption_chunk_edges(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    encrypted = age_passphrase_encrypt(data, "pw")
    assert pyrage.passphrase.decrypt(encrypted, "pw") == data  # the test encryptor writes real age
    src = tmp_path / "x.age"
    src.write_bytes(encrypted)
    assert decrypt_with_passphrase(src, tmp_path / "out", "pw") == size
    assert (tmp_path / "out").read_bytes() == data


def test_truncated_age_file_is_an_error(tmp_path: Path) -> None:
    src = tmp_path / "x.age"
    whole = age_passphrase_encrypt(os.urandom(140000), "pw")
    src.write_bytes(whole[:-100])
    with pytest.raises(EvidenceError, match="authentication"):
        decrypt_with_passphrase(src, tmp_path / "out", "pw")


def test_identity_decryption_streams_to_file(tmp_path: Path) -> None:
    key = pyrage.x25519.Identity.generate()
    (tmp_path / "id.txt").write_text(f"# comment\n{key}\n")
    src = tmp_path / "x.age"
    src.write_bytes(pyrage.encrypt(b"abc" * 50000, [key.to_public()]))
    assert decrypt_with_identity(src, tmp_path / "out", tmp_path / "id.txt") == 150000


def test_dumpsys_is_read_once(tmp_path: Path) -> None:
    evidence = open_evidence(build_androidqf(tmp_path / "acq", form="zip"), tmp_path / "work")
    first = evidence.dumpsys_sections()
    assert evidence.dumpsys_sections() is first
    assert first["package"].file == "dumpsys.txt"
    line = first["package"].first_line
    assert (evidence.resolve("dumpsys.txt").read_text().splitlines()[line - 2]) == "DUMP OF SERVICE package:"


def test_children_name_nested_acquisitions(tmp_path: Path) -> None:
    folder = build_androidqf(tmp_path / "acq", logs={"intrusion_logs/events.json": b"[]", "backup.ab": b"x",
                                                      "bugreport.zip": b"PK", "logs/a.txt": b"a"})
    evidence = open_evidence(folder, tmp_path / "work")
    kinds = all_kinds()
    expected = {k for k in ("android-backup", "bugreport", "intrusion-logs") if k in kinds}
    found = dict(evidence.children())
    assert set(found) == expected
    if "android-backup" in found:
        assert found["android-backup"] == folder / "backup.ab"
    if "bugreport" in found:
        assert found["bugreport"] == folder / "bugreport.zip"
    # from a zip, nested folders are extracted into the work folder
    archive = build_androidqf(tmp_path / "acq2", logs={"intrusion-logs/e.json": b"[]"}, form="zip")
    zipped = open_evidence(archive, tmp_path / "work2")
    for kind, path in zipped.children():
        assert kind == "intrusion-logs" and (path / "e.json").is_file()
        assert path.is_relative_to(tmp_path / "work2")


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    evidence = open_evidence(build_androidqf(tmp_path / "acq", form="zip"), tmp_path / "work")
    with pytest.raises(ArtifactNotFound):
        evidence.resolve("backup.ab")
    with pytest.raises(ArtifactNotFound):
        evidence.resolve("../../etc/passwd")


def test_device_info(tmp_path: Path) -> None:
    evidence = open_evidence(build_androidqf(tmp_path / "acq"), tmp_path / "work")
    info = evidence.device_info()
    assert info.platform == "android" and info.model == "Pixel 7" and info.security_patch == "2024-03-05"
    assert info.acquired == "2024-03-21T11:07:22Z"
