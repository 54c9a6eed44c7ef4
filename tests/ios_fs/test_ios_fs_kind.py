"""IOSFilesystemEvidence: detection, IOSSource over folder and tar, roots, links, pre-extraction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from builders.ios_fs import FsDumpBuilder, open_evidence
from spyscan.errors import EvidenceError
from spyscan.evidence.ios import IOSPath
from spyscan.kinds import detect_kind
from spyscan.kinds.ios_fs import IOSFilesystemEvidence

SAFARI = IOSPath(domain="HomeDomain", relative="Library/Safari/History.db", fs=(
    "private/var/mobile/Library/Safari/History.db",
    "private/var/mobile/Containers/Data/Application/*/Library/Safari/History.db",
))


def _dump() -> FsDumpBuilder:
    b = FsDumpBuilder()
    b.add_sqlite("private/var/mobile/Library/Safari/History.db",
                 ["CREATE TABLE history_items(id INTEGER PRIMARY KEY, url TEXT)",
                  "INSERT INTO history_items VALUES (1, 'https://example.org/')"])
    b.add_sqlite("private/var/mobile/Containers/Data/Application/AAAA-1/Library/Safari/History.db",
                 ["CREATE TABLE history_items(id INTEGER PRIMARY KEY, url TEXT)"])
    b.add_text("private/var/mobile/Library/Preferences/x.plist", "<plist/>")
    return b


@pytest.mark.parametrize("form", ["folder", "tar", "tar-nested", "tar-plain"])
def test_ios_source_on_every_form(tmp_path: Path, form: str) -> None:
    b = _dump()
    if form == "folder":
        path = b.build_folder(tmp_path / "dump")
    elif form == "tar":
        path = b.build_tar(tmp_path / "dump.tar.gz", prefix="./")
    elif form == "tar-nested":
        path = b.build_tar(tmp_path / "dump.tar.gz", prefix="filesystem/")
    else:
        path = b.build_tar(tmp_path / "dump.tar", compress="")
    assert detect_kind(path) == "ios-fs"
    ev = open_evidence(IOSFilesystemEvidence, path, tmp_path)
    assert isinstance(ev, IOSFilesystemEvidence)
    found = ev.ios_find(SAFARI)
    assert [f.label for f in found] == [
        "private/var/mobile/Containers/Data/Application/AAAA-1/Library/Safari/History.db",
        "private/var/mobile/Library/Safari/History.db",
    ]
    conn = ev.ios_sqlite(found[1])
    assert conn.execute("SELECT url FROM history_items").fetchall() == [("https://example.org/",)]
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM history_items")
    assert ev.ios_read(found[1]).startswith(b"SQLite format 3")
    assert "private/var/mobile/Library/Safari/History.db" in ev.inputs
    if form.startswith("tar"):  # declared globs were copied out during the single pass
        assert any(k.endswith("Library/Safari/History.db") for k in ev.listing.extracted)


def test_tar_member_not_declared_is_extracted_on_demand(tmp_path: Path) -> None:
    path = _dump().build_tar(tmp_path / "dump.tar.gz")
    ev = open_evidence(IOSFilesystemEvidence, path, tmp_path)
    assert isinstance(ev, IOSFilesystemEvidence)
    [plist] = ev.ios_find(IOSPath(fs=("private/var/mobile/Library/Preferences/x.plist",)))
    assert "private/var/mobile/Library/Preferences/x.plist" not in ev.listing.extracted
    assert ev.ios_read(plist) == b"<plist/>"


def test_var_instead_of_private_var(tmp_path: Path) -> None:
    b = FsDumpBuilder().add_text("var/db/diagnostics/shutdown.log", "x").add_dir("var/mobile")
    path = b.build_tar(tmp_path / "d.tar", compress="", device_folders=False, prefix="root/")
    ev = open_evidence(IOSFilesystemEvidence, path, tmp_path)
    assert isinstance(ev, IOSFilesystemEvidence)
    assert (ev.root, ev.has_private) == ("root/", False)
    found = ev.ios_find(IOSPath(fs=("private/var/db/diagnostics/shutdown.log",)))
    assert [f.label for f in found] == ["var/db/diagnostics/shutdown.log"]


def test_symlink_out_of_dump_is_never_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.db"
    secret.write_bytes(b"SQLite format 3\x00 secret")
    b = _dump().add_symlink("private/var/mobile/Library/Safari/Bookmarks.db", str(secret))
    ev = open_evidence(IOSFilesystemEvidence, b.build_folder(tmp_path / "dump"), tmp_path)
    assert ev.ios_find(IOSPath(fs=("private/var/mobile/Library/Safari/Bookmarks.db",))) == []
    entry = ev.listing.get("private/var/mobile/Library/Safari/Bookmarks.db")
    assert entry is not None and entry.type == "l"
    assert isinstance(ev, IOSFilesystemEvidence)
    with pytest.raises(EvidenceError, match="not a regular file"):
        ev.read_entry("private/var/mobile/Library/Safari/Bookmarks.db")


def test_not_a_dump(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    assert not IOSFilesystemEvidence.detect(tmp_path / "plain")
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar")
    ev = IOSFilesystemEvidence(junk, tmp_path)
    with pytest.raises(EvidenceError):
        ev.open()
