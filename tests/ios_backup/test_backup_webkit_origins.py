"""Web origins read from a backup's Manifest.db (rows shaped like the real Manifest.db of MVT's sample
backup: folders, flags 2, named ``https_<host>_0`` under ``Library/WebKit/WebsiteData/…``)."""

from __future__ import annotations

from pathlib import Path

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios.backup_webkit_origins import BackupWebkitOrigins
from spyscan.detection.pipeline import RecordPipeline
from spyscan.records.ios_fs import WebkitOrigin
from tests.builders.ios_backup import BackupBuilder
from tests.builders.ios_fs import index
from tests.ios_backup.helpers import open_backup

SAFARI = "AppDomain-com.apple.mobilesafari"
EVIL = "pegasus-domain.example"


def _backup(root: Path) -> Path:
    b = BackupBuilder(root)
    # as in the real sample: the WebsiteData tree, IndexedDB/v0 a symlink, an origin folder under WebSQL
    for folder in ("Library/WebKit/WebsiteData", "Library/WebKit/WebsiteData/IndexedDB",
                   "Library/WebKit/WebsiteData/IndexedDB/v1", "Library/WebKit/WebsiteData/WebSQL",
                   "Library/WebKit/WebsiteData/WebSQL/https_www.google.fr_0",
                   f"Library/WebKit/WebsiteData/IndexedDB/v1/https_{EVIL}_0"):
        b.add_directory(SAFARI, folder)
    b.add_file(SAFARI, "Library/WebKit/WebsiteData/WebSQL/https_www.google.fr_0/"
               "f9d2002c-7d5c-4816-951b-9fd32addd567.db", b"SQLite format 3\x00")
    b.add_file("AppDomain-com.google.Gmail", f"Library/WebKit/WebsiteData/LocalStorage/https_{EVIL}_0.localstorage",
               b"x", mtime=1_650_000_000)
    b.add_file("AppDomain-com.google.Gmail",
               f"Library/WebKit/WebsiteData/LocalStorage/https_{EVIL}_0.localstorage-wal", b"x")
    b.add_directory("AppDomain-com.example.app", "SystemData/com.apple.SafariViewService/Library/WebKit/"
                                                  "WebsiteData/IndexedDB/v1/https_login.example.org_8443")
    b.add_file("AppDomain-com.apple.Music", "Library/Preferences/com.apple.Music.ScriptingLocalStorage.plist", b"x")
    return b.build()


def test_origins_from_the_file_list(tmp_path: Path) -> None:
    ev = open_backup(_backup(tmp_path / "b"), tmp_path / "w")
    records = list(BackupWebkitOrigins().collect(ev, ArtifactLog()))
    assert all(isinstance(r, WebkitOrigin) for r in records)
    found = {(r.location.split("/Application/")[1].split("/")[0], r.store, r.origin) for r in records}
    assert found == {
        ("com.apple.mobilesafari", "WebSQL", "https://www.google.fr"),
        ("com.apple.mobilesafari", "IndexedDB", f"https://{EVIL}"),
        ("com.google.Gmail", "LocalStorage", f"https://{EVIL}"),  # the -wal companion is the same origin
        ("com.example.app", "SafariViewService", "https://login.example.org:8443"),
    }
    gmail = next(r for r in records if r.store == "LocalStorage")
    assert gmail.modified is not None and gmail.modified.year == 2022
    pipeline = RecordPipeline(BackupWebkitOrigins.id, index(("domain-name:value", EVIL)), ())
    for record in records:
        pipeline.feed(record)
    hits = pipeline.finish()
    assert {(d.observable.value if d.observable else None) for d in hits} == {EVIL}
    assert sum(d.count for d in hits) == 2  # Safari's IndexedDB and Gmail's LocalStorage


def test_backup_without_website_data_gives_nothing(tmp_path: Path) -> None:
    b = BackupBuilder(tmp_path / "b")
    b.add_directory(SAFARI, "Library/WebKit/WebsiteData/IndexedDB")
    ev = open_backup(b.build(), tmp_path / "w")
    assert list(BackupWebkitOrigins().collect(ev, ArtifactLog())) == []
