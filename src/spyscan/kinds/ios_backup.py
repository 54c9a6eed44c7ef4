"""iTunes/Finder/libimobiledevice backups of iPhones and iPads (plain or encrypted), iOS 10 and later.

The input may be the backup folder itself (``Manifest.db``, ``Manifest.plist``, ``Info.plist``,
``Status.plist`` and the hashed ``xx/<fileID>`` files) or a folder holding exactly one such backup (as
in ``~/Library/Application Support/MobileSync/Backup``).

Encrypted backups are unlocked in ``open()``: with the key saved earlier by ``spyscan decrypt-backup
--save-key-file`` when the environment variable ``SPYSCAN_IOS_KEY_FILE`` names that file, otherwise
with the backup password (``--password-env VAR`` or an interactive prompt). Files are decrypted
lazily, only when an artifact reads them, into the private work folder.
"""

from __future__ import annotations

import fnmatch
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.base import DEFAULT_READ_LIMIT, Evidence
from spyscan.evidence.ios import IOSFile, IOSPath
from spyscan.evidence.ios_backup.keyfile import KEY_FILE_ENV
from spyscan.evidence.ios_backup.layout import (
    BACKUP_ROOT_DOMAIN,
    MANIFEST_DB,
    ROOT_FILES,
    backup_candidates,
    file_id,
)
from spyscan.evidence.ios_backup.session import BackupSession, ManifestEntry
from spyscan.evidence.sqlite import copy_with_hash, open_checked
from spyscan.records.device import DeviceFacts
from spyscan.texts import N_, tr
from spyscan.timeutil import iso

PASSWORD_PROMPT = tr("iOS backup password (chosen for \"Encrypt local backup\", not the iPhone's passcode)")
ROOT_HANDLE = "root:"
SQLITE_COMPANIONS = ("-wal", "-journal")


def _text(value: Any) -> str | None:
    if isinstance(value, datetime):
        when = value if value.tzinfo else value.replace(tzinfo=UTC)
        return when.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


class IOSBackupEvidence(Evidence):
    kind = "ios-backup"
    platform = "ios"
    key_files = N_("a backup folder with Manifest.db and Manifest.plist (or a folder holding one)")
    key_artifacts = ("ios.backup_manifest", "ios.sms")  # see docs/verdict.md
    label = N_("iOS backup (iTunes/Finder/libimobiledevice)")
    priority = 20

    _session: BackupSession | None = None

    @classmethod
    def detect(cls, path: Path) -> bool:
        return bool(backup_candidates(path))

    # -- life cycle -------------------------------------------------------------------------
    def open(self) -> None:
        super().open()
        session = BackupSession(self.path, self.workdir, self.inputs)
        self._session = session
        if "Manifest.plist" not in session.plists:
            reason = session.plist_errors.get("Manifest.plist", "Manifest.plist is missing")
            # Without Manifest.plist we cannot know whether the backup is encrypted: try it as plain.
            try:
                session.connection()
            except EvidenceError as exc:
                raise EvidenceError(tr('%(reason)s, and %(manifest_db)s is not a plain database (encrypted backups '
                                       'need their Manifest.plist)', reason=reason, manifest_db=MANIFEST_DB)) from exc
            return
        if session.encrypted:
            key_file = os.environ.get(KEY_FILE_ENV) or None
            session.unlock(lambda: self.secrets.password(PASSWORD_PROMPT), Path(key_file) if key_file else None)
        session.connection()

    def close(self) -> None:
        if self._session is not None and self._session._conn is not None:
            self._session._conn.close()

    @property
    def session(self) -> BackupSession:
        if self._session is None:
            raise EvidenceError(tr('the backup was not opened'))
        return self._session

    def warnings(self) -> list[str]:
        return list(self.session.plist_errors.values())

    def device_info(self) -> DeviceFacts:
        info = self.session.plists.get("Info.plist", {})
        manifest = self.session.plists.get("Manifest.plist", {})
        lockdown = manifest.get("Lockdown") if isinstance(manifest.get("Lockdown"), dict) else {}
        assert isinstance(lockdown, dict)
        date = info.get("Last Backup Date") or manifest.get("Date")
        facts = DeviceFacts(
            platform="ios",
            name=_text(info.get("Device Name") or lockdown.get("DeviceName")),
            marketing_name=_text(info.get("Product Name")),
            model=_text(info.get("Product Type") or lockdown.get("ProductType")),
            os_version=_text(info.get("Product Version") or lockdown.get("ProductVersion")),
            build=_text(info.get("Build Version") or lockdown.get("BuildVersion")),
            acquired=iso(date.replace(tzinfo=UTC)) if isinstance(date, datetime) and date.tzinfo is None
            else iso(date) if isinstance(date, datetime) else None,
            encrypted=self.session.encrypted,
        )
        for key, value in (("serial", info.get("Serial Number") or lockdown.get("SerialNumber")),
                           ("udid", info.get("Unique Identifier") or info.get("Target Identifier")
                            or lockdown.get("UniqueDeviceID")),
                           ("backup_date", date)):
            if (text := _text(value)) is not None:
                facts.details[key] = text
        return facts

    # -- IOSSource ----------------------------------------------------------------------------
    def ios_find(self, spec: IOSPath) -> list[IOSFile]:
        if spec.domain is None:
            return []
        relative = spec.relative if spec.relative is not None else "*"
        if spec.domain == BACKUP_ROOT_DOMAIN:
            found = []
            for name in ROOT_FILES:
                path = self.session.root / name
                if fnmatch.fnmatchcase(name, relative) and path.is_file():
                    found.append(IOSFile(label=name, handle=ROOT_HANDLE + name, domain=BACKUP_ROOT_DOMAIN,
                                         relative=name, size=path.stat().st_size))
            return found
        files = []
        for entry in self.session.find(spec.domain, relative):
            try:
                self.session.stored_file(entry)
            except ArtifactNotFound:
                continue
            files.append(IOSFile(label=entry.label, handle=entry.file_id, domain=entry.domain,
                                 relative=entry.relative_path, size=entry.info().size))
        return files

    def ios_read(self, file: IOSFile, limit: int = DEFAULT_READ_LIMIT) -> bytes:
        if file.handle.startswith(ROOT_HANDLE):
            return self._root_bytes(file.handle[len(ROOT_HANDLE):], limit)
        return self.session.read(self._entry(file), limit)

    def ios_sqlite(self, file: IOSFile) -> sqlite3.Connection:
        folder = self.session.private_dir()
        if file.handle == ROOT_HANDLE + MANIFEST_DB:
            target = folder / MANIFEST_DB
            copy_with_hash(self.session.manifest_db(), target, self.inputs, MANIFEST_DB)
        else:
            entry = self._entry(file)
            target = folder / (entry.relative_path.rsplit("/", 1)[-1] or entry.file_id)
            self.session.copy_plain(entry, target)
            for suffix in SQLITE_COMPANIONS:
                companion = self.session.entry(file_id(entry.domain, entry.relative_path + suffix))
                if companion is None:
                    continue
                try:
                    self.session.copy_plain(companion, target.with_name(target.name + suffix))
                except ArtifactNotFound:
                    continue
        return open_checked(target, file.label, folder)

    # -- helpers ------------------------------------------------------------------------------
    def _entry(self, file: IOSFile) -> ManifestEntry:
        entry = self.session.entry(file.handle)
        if entry is None:
            raise ArtifactNotFound(tr('%(file)s is not in %(manifest_db)s', file=file.label, manifest_db=MANIFEST_DB))
        return entry

    def _root_bytes(self, name: str, limit: int) -> bytes:
        if name not in ROOT_FILES:
            raise ArtifactNotFound(name)
        path = self.session.manifest_db() if name == MANIFEST_DB else self.session.root_file(name)
        size = path.stat().st_size
        if size > limit:
            raise EvidenceError(tr('%(name)s is %(size)s bytes, over the limit of %(limit)s', name=name, size=size,
                                   limit=limit))
        data = path.read_bytes()
        if name != MANIFEST_DB:
            self._log_bytes(name, data)
        return data
