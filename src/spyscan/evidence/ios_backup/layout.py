"""Where things are in a backup folder: the marker files, hashed file names, the backup root."""

from __future__ import annotations

import hashlib
from pathlib import Path

from spyscan.errors import EvidenceError
from spyscan.texts import tr

MANIFEST_DB = "Manifest.db"
PLISTS = ("Info.plist", "Manifest.plist", "Status.plist")
# A pseudo backup domain naming the backup's own files (Info.plist, Manifest.plist, Status.plist,
# Manifest.db) so that artifacts read them through the same IOSSource calls as device files. It is only
# matched when asked for by its exact name, never by a domain glob.
BACKUP_ROOT_DOMAIN = "::backup-root"
ROOT_FILES = (*PLISTS, MANIFEST_DB)


def file_id(domain: str, relative_path: str) -> str:
    """The name iOS gives a backed-up file: SHA-1 of ``<domain>-<relativePath>``."""
    return hashlib.sha1(f"{domain}-{relative_path}".encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def is_backup_folder(path: Path) -> bool:
    try:
        return (path.is_dir() and (path / MANIFEST_DB).is_file()
                and any((path / name).is_file() for name in PLISTS))
    except OSError:
        return False


def backup_candidates(path: Path) -> list[Path]:
    """``[path]`` when it is a backup, else the backups directly inside it (a folder of device backups)."""
    if is_backup_folder(path):
        return [path]
    if not path.is_dir():
        return []
    try:
        children = sorted(p for p in path.iterdir() if not p.name.startswith(".") and p.is_dir())
    except OSError:
        return []
    return [p for p in children if is_backup_folder(p)]


def find_backup_root(path: Path) -> Path:
    found = backup_candidates(path)
    if not found:
        raise EvidenceError(tr('%(path)s is not an iOS backup folder (Manifest.db and Info/Manifest.plist expected)',
                               path=path))
    if len(found) > 1:
        names = ", ".join(p.name for p in found[:5])
        raise EvidenceError(tr('%(path)s holds %(count)s device backups (%(names)s); give the folder of one of them',
                               path=path, count=len(found), names=names))
    return found[0]


def stored_path(root: Path, fid: str) -> Path | None:
    """The on-disk file of ``fid`` (``<id[:2]>/<id>``, or flat ``<id>`` in older layouts), or None."""
    for candidate in (root / fid[:2] / fid, root / fid):
        if candidate.is_file():
            return candidate
    return None
