"""The full file listing of a filesystem dump: every path with its times, streamed from the shared listing.

Each entry is matched as a file path and a file name. Process indicators are matched against the names
that can plausibly be a process, not against every path component: a dump has hundreds of thousands of
folder names (UUIDs, bundle ids, caches) and matching each of them against process names would flood the
report with coincidences (a folder called ``bh`` or ``logs``). A name counts as a possible process when
it is (see ``process_candidate``):

* the base name of a regular file with an execute bit that does not carry a data extension;
* a file directly inside a ``bin``, ``sbin`` or ``libexec`` folder;
* the main binary of a bundle (``X.app/X``, ``X.appex/X``, ``X.xpc/X``);
* any entry directly inside a folder where spyware was seen staging its binaries
  (``/private/var/db/com.apple.xpc.roleaccountd.staging/``), whatever its mode.
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios.fs_common import listed
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.fs_listing import DIR, FILE, LINK, FsEntry
from spyscan.records.base import SourceRef
from spyscan.records.ios_fs import FsFileEntry
from spyscan.texts import N_, tr
from spyscan.timeutil import from_unix
from spyscan.values import raw_if_lost

TYPES = {FILE: "file", DIR: "dir", LINK: "link"}
BIN_FOLDERS = frozenset({"bin", "sbin", "libexec"})
BUNDLE_SUFFIXES = (".app", ".appex", ".xpc", ".framework")
STAGING_FOLDERS = ("private/var/db/com.apple.xpc.roleaccountd.staging",)
DATA_EXTENSIONS = frozenset({
    "plist", "db", "sqlite", "sqlite3", "sqlitedb", "wal", "shm", "journal", "json", "txt", "log", "png", "jpg",
    "jpeg", "gif", "heic", "mov", "mp4", "m4a", "caf", "dylib", "a", "so", "car", "nib", "strings", "js",
    "html", "css", "xml", "dat", "bin", "cache", "ips", "gz", "zip", "pdf", "tmp", "lock", "mobileprovision",
})


def process_candidate(entry: FsEntry, device_path: str) -> bool:
    parent, _, name = device_path.rpartition("/")
    if parent in STAGING_FOLDERS:
        return True
    if entry.type not in (FILE, LINK):
        return False
    folder = parent.rsplit("/", 1)[-1]
    if folder in BIN_FOLDERS:
        return True
    if folder.endswith(BUNDLE_SUFFIXES) and folder.rsplit(".", 1)[0] == name:
        return True
    if entry.type == FILE and entry.mode is not None and entry.mode & 0o111:
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return extension not in DATA_EXTENSIONS
    return False


class FilesystemListing(Artifact):
    id = "ios.fs.file_listing"
    kinds = ("ios-fs",)
    title = N_("Full file listing of the filesystem dump")
    records = (FsFileEntry,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[FsFileEntry]:
        source = listed(evidence)
        count = 0
        for entry in source.listing.all():
            device = source.device_path(entry.path)
            if not device or (source.root and not entry.path.startswith(source.root)):
                continue
            count += 1
            yield FsFileEntry(
                source=SourceRef(file=device),
                path="/" + device,
                name=entry.name,
                type=TYPES.get(entry.type, "other"),
                size=entry.size,
                mode=oct(entry.mode) if entry.mode is not None else None,
                modified=(modified := from_unix(entry.mtime)),  # file times: no floor (copies keep any time)
                accessed=(accessed := from_unix(entry.atime)),
                changed=(changed := from_unix(entry.ctime)),
                created=(created := from_unix(entry.birth)),
                link_target=entry.link,
                process_names=[entry.name] if process_candidate(entry, device) else [],
                modified_raw=raw_if_lost(entry.mtime, modified), accessed_raw=raw_if_lost(entry.atime, accessed),
                changed_raw=raw_if_lost(entry.ctime, changed), created_raw=raw_if_lost(entry.birth, created),
            )
        if count == 0:
            raise ArtifactNotFound(tr('the dump is empty'))
        if source.listing.skipped:
            log.warn(tr('%(skipped)s folder(s) or file(s) could not be listed (permissions?)',
                        skipped=source.listing.skipped))
