"""Web origins with stored data, read from a backup's file list (``Manifest.db``), no file is opened.

WebKit keeps per-origin website data in files and folders named after the origin (``_webkit.py``):
``Library/WebKit/WebsiteData/LocalStorage/https_<host>_0.localstorage``, ``…/IndexedDB/v1/https_<host>_0``,
``…/WebSQL/https_<host>_0`` (seen in the real Manifest.db of MVT's sample backup, e.g.
``AppDomain-com.apple.mobilesafari`` ``Library/WebKit/WebsiteData/WebSQL/https_www.google.fr_0``), in every
app container and in SafariViewService's copy (``SystemData/com.apple.SafariViewService/…``). A backup
lists these paths, folders included, even when their content is not backed up. A host found there is a
site whose data the phone kept: Amnesty International's Pegasus methodology found Pegasus domains this way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._plist_values import find_one, ios_source
from spyscan.artifacts.ios._webkit import origin_store
from spyscan.artifacts.ios.manifest_files import MANIFEST_DB, device_path
from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios_backup.fileinfo import decode_file_blob
from spyscan.evidence.sqlite import require_table
from spyscan.evidence.sqlite_guard import stepped_rows
from spyscan.evidence.sqlite_schema import SchemaRefused
from spyscan.records.base import SourceRef
from spyscan.records.ios_fs import WebkitOrigin
from spyscan.texts import N_, tr
from spyscan.timeutil import from_unix
from spyscan.values import raw_if_lost

QUERY = ("SELECT rowid, domain, relativePath, file FROM Files WHERE relativePath GLOB '*WebKit/WebsiteData/*_*' "
         "ORDER BY domain, relativePath")


class BackupWebkitOrigins(Artifact):
    id = "ios.backup_webkit_origins"
    kinds = ("ios-backup",)
    title = N_("Web origins with stored data (WebKit, from the backup's file list)")
    records = (WebkitOrigin,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[WebkitOrigin]:
        source = ios_source(evidence)
        db_file = find_one(source, MANIFEST_DB)
        if db_file is None:
            raise ArtifactNotFound(tr('the backup has no Manifest.db'))
        conn = source.ios_sqlite(db_file)
        seen: set[tuple[str, str, str]] = set()
        try:
            if not require_table(conn, "Files"):
                raise EvidenceError(tr('Manifest.db has no table Files'))
            for rowid, domain, relative, blob in stepped_rows(conn.execute(QUERY)):
                domain, relative = str(domain or ""), str(relative or "")
                found = origin_store(relative)
                if found is None:
                    continue
                store, origin, host = found
                key = (domain, store, origin)
                if key in seen:
                    continue  # LocalStorage and its -wal/-shm companions, an origin in IndexedDB v0 and v1
                seen.add(key)
                try:
                    stamp = decode_file_blob(blob if isinstance(blob, bytes) else None).modified
                except EvidenceError:
                    stamp = None
                modified = from_unix(stamp)
                yield WebkitOrigin(source=SourceRef(file=f"{db_file.label}", table="Files", rowid=rowid,
                                                    key=f"{domain}/{relative}"),
                                   store=store, origin=origin, host=host,
                                   location=device_path(domain, relative) or f"{domain}/{relative}",
                                   modified=modified, modified_raw=raw_if_lost(stamp, modified))
        except sqlite3.DatabaseError as exc:
            raise EvidenceError(tr('Manifest.db cannot be read: %(error)s', error=exc)) from exc
        except SchemaRefused as exc:  # Files is a view or virtual table: not followed
            log.mark_unread(str(exc))
        finally:
            conn.close()  # a backup without such data gives no record: the list was read, nothing to find
