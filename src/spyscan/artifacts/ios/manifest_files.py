"""Every entry of an iOS backup's Manifest.db: domain, path, type, size, mode and times.

The device path is derived from the backup domain where the mapping is known (``HomeDomain`` is
``/private/var/mobile``; app containers use their bundle id in place of the container UUID, which
the backup does not record), so that file-path indicators can match.
"""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from datetime import datetime

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._plist_values import find_one, ios_source
from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.ios_backup.fileinfo import BackupFileInfo, decode_file_blob
from spyscan.evidence.ios_backup.layout import BACKUP_ROOT_DOMAIN
from spyscan.evidence.sqlite import require_table
from spyscan.evidence.sqlite_schema import SchemaRefused
from spyscan.faults import registered
from spyscan.records.base import SourceRef
from spyscan.records.ios_manifest import IOSBackupFile
from spyscan.texts import N_, tr
from spyscan.timeutil import from_unix

MANIFEST_DB = IOSPath(domain=BACKUP_ROOT_DOMAIN, relative="Manifest.db")
MAX_BLOB_WARNINGS = 20

DOMAIN_ROOTS = {
    "HomeDomain": "/private/var/mobile",
    "MediaDomain": "/private/var/mobile",
    "CameraRollDomain": "/private/var/mobile",
    "HealthDomain": "/private/var/mobile",
    "KeyboardDomain": "/private/var/mobile",
    "TonesDomain": "/private/var/mobile",
    "BooksDomain": "/private/var/mobile/Media/Books",
    "RootDomain": "/private/var/root",
    "KeychainDomain": "/private/var/Keychains",
    "WirelessDomain": "/private/var/wireless",
    "SystemPreferencesDomain": "/private/var/preferences",
    "ManagedPreferencesDomain": "/private/var/Managed Preferences",
    "MobileDeviceDomain": "/private/var/MobileDevice",
    "DatabaseDomain": "/private/var/db",
    "ProtectedDomain": "/private/var/protected",
    "InstallDomain": "/private/var/installd",
    "NetworkDomain": "/private/var/networkd",
}
DOMAIN_PREFIXES = (
    ("AppDomainGroup-", "/private/var/mobile/Containers/Shared/AppGroup/{}"),
    ("AppDomainPlugin-", "/private/var/mobile/Containers/Data/PluginKitPlugin/{}"),
    ("AppDomain-", "/private/var/mobile/Containers/Data/Application/{}"),
    ("SysContainerDomain-", "/private/var/containers/Data/System/{}"),
    ("SysSharedContainerDomain-", "/private/var/containers/Shared/SystemGroup/{}"),
)


def device_path(domain: str, relative: str) -> str | None:
    """Where a backed-up file lives on the device, or None for an unknown domain."""
    base = DOMAIN_ROOTS.get(domain)
    if base is None:
        for prefix, template in DOMAIN_PREFIXES:
            if domain.startswith(prefix) and len(domain) > len(prefix):
                base = template.format(domain[len(prefix):])
                break
    if base is None:
        return None
    return f"{base}/{relative}" if relative else base


def entry_type(flags: object, info: BackupFileInfo) -> str:
    if info.mode is not None and 0 <= info.mode < 1 << 32:  # the stat macros take a C unsigned int
        if stat.S_ISDIR(info.mode):
            return "directory"
        if stat.S_ISLNK(info.mode):
            return "symlink"
        if stat.S_ISREG(info.mode):
            return "file"
    return {1: "file", 2: "directory", 4: "symlink"}.get(flags if isinstance(flags, int) else -1, "unknown")


@registered
def _time(value: int | None) -> datetime | None:
    """A file time as the backup stored it (0: not recorded). No floor: copying keeps any time."""
    return from_unix(value)


class IOSManifestFiles(Artifact):
    id = "ios.backup_manifest"
    kinds = ("ios-backup",)
    title = N_("Files listed in the backup (Manifest.db)")
    records = (IOSBackupFile,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[IOSBackupFile]:
        source = ios_source(evidence)
        db_file = find_one(source, MANIFEST_DB)
        if db_file is None:
            raise ArtifactNotFound(tr('the backup has no Manifest.db'))
        conn = source.ios_sqlite(db_file)
        bad_blobs = 0
        try:
            if not require_table(conn, "Files"):
                raise EvidenceError(tr('Manifest.db has no table Files'))
            rows = conn.execute("SELECT rowid, fileID, domain, relativePath, flags, file FROM Files "
                                "ORDER BY domain, relativePath")
            for rowid, fid, domain, relative, flags, blob in rows:
                try:
                    info = decode_file_blob(blob if isinstance(blob, bytes) else None)
                except EvidenceError as exc:
                    bad_blobs += 1
                    if bad_blobs <= MAX_BLOB_WARNINGS:
                        log.warn(tr('Manifest.db row %(rowid)s: %(error)s', rowid=rowid, error=exc))
                    info = BackupFileInfo()
                domain, relative = str(domain or ""), str(relative or "")
                path = device_path(domain, relative)
                name = relative.rsplit("/", 1)[-1] or None
                yield IOSBackupFile(
                    source=SourceRef(file=db_file.label, table="Files", rowid=rowid),
                    file_id=str(fid), domain=domain, relative_path=relative, entry_type=entry_type(flags, info),
                    device_path=path, file_name=name, size=info.size,
                    mode=None if info.mode is None else format(info.mode, "o"),
                    protection_class=info.protection_class, created=_time(info.birth), created_raw=info.birth,
                    modified=_time(info.modified), modified_raw=info.modified,
                    status_changed=_time(info.status_changed), status_changed_raw=info.status_changed,
                    link_target=info.target,
                )
        except sqlite3.DatabaseError as exc:
            raise EvidenceError(tr('Manifest.db cannot be read: %(error)s', error=exc)) from exc
        except SchemaRefused as exc:  # Files is a view or virtual table: not followed
            log.mark_unread(str(exc))
        finally:
            conn.close()
        if bad_blobs > MAX_BLOB_WARNINGS:
            log.warn(tr('%(bad_blobs)s Manifest.db rows in all had unreadable file metadata', bad_blobs=bad_blobs))
