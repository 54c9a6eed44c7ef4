"""Refusals of the streaming tar listing (ios-fs and sysdiagnose tars) name the archive."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from spyscan.errors import EvidenceError
from spyscan.evidence.fs_listing import FsListing, extract_member


def _tar(path: Path, *names: str) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name in names:
            info = tarfile.TarInfo(name)
            info.size = 1
            tar.addfile(info, io.BytesIO(b"x"))
    return path


@pytest.mark.parametrize("bad", ["../../etc/evil", "a/../../evil", "/etc/evil"])
def test_listing_refusal_names_the_archive(tmp_path: Path, bad: str) -> None:
    archive = _tar(tmp_path / "dump.tar.gz", "private/var/ok.txt", bad)
    with pytest.raises(EvidenceError) as caught:
        FsListing(tmp_path / "l.sqlite").walk_tar(archive, tmp_path / "x", lambda n: True)
    message = str(caught.value)
    assert message.startswith("dump.tar.gz: archive member") and "refused" in message
    assert message.count("dump.tar.gz") == 1 and "\n" not in message


def test_extract_refusal_names_the_archive(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "sysdiagnose.tar.gz", "a/../../evil")
    with pytest.raises(EvidenceError, match=r"^sysdiagnose\.tar\.gz: .*refused"):
        extract_member(archive, "evil", tmp_path / "x")


def test_messages_that_already_name_the_archive_are_kept(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "dump.tar.gz", "private/var/ok.txt")
    with pytest.raises(EvidenceError, match=r"^private/var/missing is not in dump\.tar\.gz$"):
        extract_member(archive, "private/var/missing", tmp_path / "x")
