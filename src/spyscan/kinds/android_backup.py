"""Android ``adb backup`` files (``.ab``): plain, compressed or password-encrypted, read as a stream; or
the same backup unpacked into a folder (the ``apps/<package>/...`` tree that tools such as
android-backup-extractor or ``tar`` leave).

An unpacked backup is recognised by its content: an ``apps/`` folder holding at least one package folder
with a ``_manifest`` file or one of the backup format's domain folders (AOSP ``FullBackup``: ``a`` the APK,
``f`` files, ``db`` databases, ``sp`` shared preferences, ``r`` root, ``c`` cache, ``ef`` external files,
``obb``, and the device-protected ``d_f``, ``d_db``, ``d_sp``, ``d_r``, ``d_c``, ``k`` key-value data).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from spyscan.errors import EvidenceError
from spyscan.evidence.android_backup_stream import MAGIC, BackupEntry, BackupReader, read_header
from spyscan.evidence.base import Evidence
from spyscan.evidence.custody import InputFile
from spyscan.records.device import DeviceFacts
from spyscan.texts import N_, tr

PROMPT = tr("Android backup password (typed on the phone when the backup was made)")
DOMAINS = frozenset({"_manifest", "a", "f", "db", "sp", "r", "c", "ef", "obb", "d_f", "d_db", "d_sp", "d_r", "d_c",
                     "k", "no_backup"})
MAX_FOLDER_ENTRIES = 1_000_000


def is_unpacked_backup(path: Path) -> bool:
    """``path`` is a folder holding an unpacked backup's ``apps/<package>/<domain>`` tree."""
    apps = path / "apps"
    if not path.is_dir() or not apps.is_dir() or apps.is_symlink():
        return False
    for count, package in enumerate(sorted(apps.iterdir())):
        if count >= 200:
            break
        if package.is_dir() and not package.is_symlink() and any(p.name in DOMAINS for p in package.iterdir()):
            return True
    return False


class AndroidBackupEvidence(Evidence):
    kind = "android-backup"
    platform = "android"
    key_files = N_('a single .ab file starting with "ANDROID BACKUP", or an unpacked backup folder '
                   '(apps/<package>/...)')
    label = N_("Android backup (.ab, or unpacked into a folder)")
    priority = 20

    _reader: BackupReader | None = None

    @classmethod
    def detect(cls, path: Path) -> bool:
        if path.is_dir():
            return is_unpacked_backup(path)
        if not path.is_file():
            return False
        with path.open("rb") as fh:
            return fh.read(len(MAGIC) + 1) == MAGIC + b"\n"

    @property
    def unpacked(self) -> bool:
        return self.path.is_dir()

    def open(self) -> None:
        super().open()
        if self.unpacked:
            if not is_unpacked_backup(self.path):
                raise EvidenceError(tr('%(self)s holds no unpacked Android backup (apps/<package>/... folders)',
                                       self=self.path))
            return
        if not self.path.is_file():
            raise EvidenceError(tr('%(self)s is not a file; an Android backup is a single .ab file', self=self.path))
        try:
            with self.path.open("rb") as fh:
                header = read_header(fh)
        except OSError as exc:
            raise EvidenceError(tr('%(self)s cannot be read: %(error)s', self=self.path.name, error=exc)) from exc
        password = self.secrets.password(PROMPT) if header.encrypted else None
        self._reader = BackupReader(self.path, password)

    @property
    def reader(self) -> BackupReader:
        if self._reader is None:
            raise EvidenceError(tr('the Android backup was not opened'))
        return self._reader

    def device_info(self) -> DeviceFacts:
        if self.unpacked:
            return DeviceFacts(platform="android", details={"backup format": "unpacked into a folder"})
        header = self.reader.header
        return DeviceFacts(platform="android", encrypted=header.encryption != "none", details={
            "backup format version": str(header.version),
            "backup compressed": "yes" if header.compressed else "no",
            "backup encryption": header.encryption,
        })

    def backup_entries(self) -> Iterator[BackupEntry]:
        """Every regular file inside the backup, streamed (one new pass over the file per call)."""
        if self.unpacked:
            return self._folder_entries()
        return self.reader.entries()

    def _folder_entries(self) -> Iterator[BackupEntry]:
        """The files of an unpacked backup in name order (links and special files are never followed)."""
        count = 0
        for folder, dirs, names in os.walk(self.path, followlinks=False):
            dirs.sort()
            for name in sorted(names):
                full = Path(folder, name)
                info = full.lstat()
                if not stat.S_ISREG(info.st_mode):
                    continue
                count += 1
                if count > MAX_FOLDER_ENTRIES:
                    raise EvidenceError(tr('%(self)s has more than %(max_folder_entries)s files; refused',
                                           self=self.path.name, max_folder_entries=MAX_FOLDER_ENTRIES))
                with full.open("rb") as reader:
                    yield BackupEntry(name=full.relative_to(self.path).as_posix(), size=info.st_size,
                                      mtime=info.st_mtime, reader=reader)

    def read_entry(self, entry: BackupEntry, limit: int) -> bytes:
        """The content of ``entry`` (bounded), recorded in the custody log."""
        data = entry.read(limit)
        self.inputs.add(InputFile(path=f"{self.path.name}:{entry.name}", size=len(data),
                                  sha256=hashlib.sha256(data).hexdigest()))
        return data
