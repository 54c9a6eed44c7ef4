"""Android ``adb backup`` files (``.ab``): plain, compressed or password-encrypted, read as a stream."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from spyscan.errors import EvidenceError
from spyscan.evidence.android_backup_stream import MAGIC, BackupEntry, BackupReader, read_header
from spyscan.evidence.base import Evidence
from spyscan.evidence.custody import InputFile
from spyscan.records.device import DeviceFacts

PROMPT = "Android backup password"


class AndroidBackupEvidence(Evidence):
    kind = "android-backup"
    platform = "android"
    key_files = 'a single .ab file starting with "ANDROID BACKUP"'
    label = "Android backup (.ab)"
    priority = 20

    _reader: BackupReader | None = None

    @classmethod
    def detect(cls, path: Path) -> bool:
        if not path.is_file():
            return False
        with path.open("rb") as fh:
            return fh.read(len(MAGIC) + 1) == MAGIC + b"\n"

    def open(self) -> None:
        super().open()
        if not self.path.is_file():
            raise EvidenceError(f"{self.path} is not a file; an Android backup is a single .ab file")
        try:
            with self.path.open("rb") as fh:
                header = read_header(fh)
        except OSError as exc:
            raise EvidenceError(f"{self.path.name} cannot be read: {exc}") from exc
        password = self.secrets.password(PROMPT) if header.encrypted else None
        self._reader = BackupReader(self.path, password)

    @property
    def reader(self) -> BackupReader:
        if self._reader is None:
            raise EvidenceError("the Android backup was not opened")
        return self._reader

    def device_info(self) -> DeviceFacts:
        header = self.reader.header
        return DeviceFacts(platform="android", encrypted=header.encryption != "none", details={
            "backup format version": str(header.version),
            "backup compressed": "yes" if header.compressed else "no",
            "backup encryption": header.encryption,
        })

    def backup_entries(self) -> Iterator[BackupEntry]:
        """Every regular file inside the backup, streamed (one new pass over the file per call)."""
        return self.reader.entries()

    def read_entry(self, entry: BackupEntry, limit: int) -> bytes:
        """The content of ``entry`` (bounded), recorded in the custody log."""
        data = entry.read(limit)
        self.inputs.add(InputFile(path=f"{self.path.name}:{entry.name}", size=len(data),
                                  sha256=hashlib.sha256(data).hexdigest()))
        return data
