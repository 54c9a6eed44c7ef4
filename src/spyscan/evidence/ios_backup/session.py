"""An opened backup: its plists, its keys (when encrypted), its Manifest.db and its files.

Used by the ``ios-backup`` evidence kind and by ``spyscan decrypt-backup``. Nothing is ever written
into the backup: Manifest.db is copied (or decrypted) into the private work folder and opened there;
encrypted files are decrypted lazily, only when read, into the same private folder.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec

from spyscan.errors import ArtifactNotFound, BudgetExceeded, EvidenceError
from spyscan.evidence.custody import InputFile, InputLog
from spyscan.evidence.diskspace import SpaceGuard, writing
from spyscan.evidence.ios_backup.crypto import decrypt_stream, unwrap_entry_key
from spyscan.evidence.ios_backup.fileinfo import BackupFileInfo, decode_file_blob
from spyscan.evidence.ios_backup.keybag import WRONG_PASSWORD, Keybag
from spyscan.evidence.ios_backup.keyfile import load_key
from spyscan.evidence.ios_backup.layout import MANIFEST_DB, find_backup_root, stored_path
from spyscan.evidence.plist import load_plist
from spyscan.evidence.sqlite import copy_with_hash, open_checked, require_table
from spyscan.evidence.sqlite_guard import stepped_rows
from spyscan.evidence.sqlite_schema import SchemaRefused
from spyscan.texts import tr

PLIST_LIMIT = 256 << 20  # Info.plist carries app icons; bigger plists are refused
FLAG_FILE, FLAG_DIR, FLAG_LINK = 1, 2, 4
_COUNTER = itertools.count()


class ManifestEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One row of Manifest.db ``Files``."""

    file_id: str
    domain: str
    relative_path: str
    flags: int | None
    blob: bytes | None

    @property
    def label(self) -> str:
        return f"{self.domain}/{self.relative_path}"

    def info(self) -> BackupFileInfo:
        return decode_file_blob(self.blob)


class BackupSession:
    def __init__(self, path: Path, workdir: Path, inputs: InputLog | None = None) -> None:
        self.root = find_backup_root(path)
        self.workdir = workdir
        self.inputs = inputs or InputLog()
        self.plists: dict[str, dict[str, Any]] = {}
        self.plist_errors: dict[str, str] = {}
        for name in ("Info.plist", "Manifest.plist", "Status.plist"):
            self._load_plist(name)
        manifest = self.plists.get("Manifest.plist", {})
        self.encrypted = bool(manifest.get("IsEncrypted", False))
        self.keybag: Keybag | None = None
        self.class_keys: dict[int, bytes] | None = None
        self._manifest_db: Path | None = None
        self._conn: sqlite3.Connection | None = None
        self._conn_pid = -1

    # -- plists --------------------------------------------------------------------------------
    def _load_plist(self, name: str) -> None:
        path = self.root / name
        if not path.is_file():
            return
        try:
            if path.stat().st_size > PLIST_LIMIT:
                raise ValueError(f"larger than {PLIST_LIMIT} bytes")
            data = path.read_bytes()
            self.inputs.add(InputFile(path=name, size=len(data), sha256=hashlib.sha256(data).hexdigest()))
            obj = load_plist(data)
            if not isinstance(obj, dict):
                raise ValueError("not a dictionary")
        except (OSError, ValueError) as exc:  # PlistError (damaged or past the reader's limits) is a ValueError
            self.plist_errors[name] = f"{name} is not readable: {exc}"
            return
        self.plists[name] = obj

    def root_file(self, name: str) -> Path:
        path = self.root / name
        if not path.is_file():
            raise ArtifactNotFound(tr('the backup has no %(name)s', name=name))
        return path

    # -- keys ----------------------------------------------------------------------------------
    def unlock(self, password: Callable[[], str], key_file: Path | None = None) -> bytes:
        """Unlock an encrypted backup with a saved key or the password; returns the derived key."""
        manifest = self.plists.get("Manifest.plist")
        if manifest is None:
            raise EvidenceError(self.plist_errors.get("Manifest.plist", "the backup has no Manifest.plist"))
        blob = manifest.get("BackupKeyBag")
        if not isinstance(blob, bytes):
            raise EvidenceError(tr('the encrypted backup has no BackupKeyBag in Manifest.plist'))
        self.keybag = Keybag.parse(blob)
        if key_file is not None:
            key = load_key(key_file, self.keybag.uuid)
            try:
                self.class_keys = self.keybag.unlock(key)
            except EvidenceError as exc:
                raise EvidenceError(tr('the key in %(key_file)s does not unlock this backup',
                                       key_file=key_file)) from exc
        else:
            key = self.keybag.derive(password())
            self.class_keys = self.keybag.unlock(key)
        return key

    def _check_unlocked(self) -> dict[int, bytes]:
        if self.class_keys is None:
            raise EvidenceError(tr('the backup is encrypted and was not unlocked'))
        return self.class_keys

    # -- Manifest.db ---------------------------------------------------------------------------
    def manifest_db(self) -> Path:
        """A private plain copy of Manifest.db (decrypted when the backup is encrypted)."""
        if self._manifest_db is not None:
            return self._manifest_db
        source = self.root / MANIFEST_DB
        if not source.is_file():
            raise EvidenceError(tr('%(root)s has no %(manifest_db)s', root=self.root, manifest_db=MANIFEST_DB))
        target = self.workdir / "manifest" / MANIFEST_DB
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self.encrypted:
            manifest = self.plists.get("Manifest.plist", {})
            wrapped = manifest.get("ManifestKey")
            if not isinstance(wrapped, bytes):
                raise EvidenceError(tr('the encrypted backup has no ManifestKey in Manifest.plist'))
            key = unwrap_entry_key(self._check_unlocked(), wrapped, MANIFEST_DB)
            self._decrypt_to(source, target, key, None, MANIFEST_DB)
            if not target.read_bytes()[:16].startswith(b"SQLite format 3"):
                raise EvidenceError(WRONG_PASSWORD)
        else:
            copy_with_hash(source, target, self.inputs, MANIFEST_DB)
        self._manifest_db = target
        return target

    def connection(self) -> sqlite3.Connection:
        """A read-only connection to the private Manifest.db copy (one per process)."""
        if self._conn is None or self._conn_pid != os.getpid():
            path = self.manifest_db()
            try:
                conn = open_checked(path, MANIFEST_DB, check_same_thread=False)
                if not require_table(conn, "Files"):
                    raise EvidenceError(tr('%(manifest_db)s has no table Files', manifest_db=MANIFEST_DB))
                conn.execute("SELECT 1 FROM Files LIMIT 1").fetchall()
            except sqlite3.Error as exc:
                raise EvidenceError(tr('%(manifest_db)s is not readable: %(error)s', manifest_db=MANIFEST_DB,
                                       error=exc)) from exc
            except (SchemaRefused, BudgetExceeded) as exc:  # the backup's index itself is hostile
                raise EvidenceError(tr('the backup cannot be listed: %(error)s', error=exc)) from exc
            self._conn, self._conn_pid = conn, os.getpid()
        return self._conn

    _COLUMNS = "fileID, domain, relativePath, flags, file"

    @staticmethod
    def _entry(row: tuple[Any, ...]) -> ManifestEntry:
        blob = row[4]
        return ManifestEntry(file_id=str(row[0]), domain=str(row[1] or ""), relative_path=str(row[2] or ""),
                             flags=row[3] if isinstance(row[3], int) else None,
                             blob=bytes(blob) if isinstance(blob, bytes | memoryview) else None)

    def find(self, domain_glob: str, relative_glob: str, files_only: bool = True) -> list[ManifestEntry]:
        sql = f"SELECT {self._COLUMNS} FROM Files WHERE domain GLOB ? AND relativePath GLOB ?"
        if files_only:
            sql += f" AND (flags IS NULL OR flags = {FLAG_FILE})"
        sql += " ORDER BY domain, relativePath"
        rows = self.connection().execute(sql, (domain_glob, relative_glob)).fetchall()
        return [self._entry(r) for r in rows]

    def entry(self, fid: str) -> ManifestEntry | None:
        row = self.connection().execute(
            f"SELECT {self._COLUMNS} FROM Files WHERE fileID = ?", (fid,)).fetchone()
        return None if row is None else self._entry(row)

    def iter_entries(self) -> Iterator[ManifestEntry]:
        cursor = self.connection().execute(f"SELECT {self._COLUMNS} FROM Files ORDER BY domain, relativePath")
        for row in stepped_rows(cursor):
            yield self._entry(row)

    # -- files ---------------------------------------------------------------------------------
    def stored_file(self, entry: ManifestEntry) -> Path:
        path = stored_path(self.root, entry.file_id)
        if path is None:
            raise ArtifactNotFound(tr('%(entry)s is listed in %(manifest_db)s but absent from the backup',
                                      entry=entry.label, manifest_db=MANIFEST_DB))
        return path

    def _custody_label(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _decrypt_to(self, source: Path, target: Path, key: bytes, size: int | None, what: str) -> None:
        digest = hashlib.sha256()
        total = 0

        class _Hashing:
            def __init__(self, fh: Any) -> None:
                self.fh = fh

            def read(self, n: int = -1) -> bytes:
                nonlocal total
                data: bytes = self.fh.read(n)
                digest.update(data)
                total += len(data)
                return data

        tmp = target.with_name(f".{target.name}.{os.getpid()}.{next(_COUNTER)}.tmp")
        try:
            with writing(what), source.open("rb") as fin, tmp.open("wb") as fout:
                guard = SpaceGuard(fout.fileno(), what, os.fstat(fin.fileno()).st_size)
                for chunk in decrypt_stream(key, _Hashing(fin), size, what):
                    fout.write(chunk)
                    guard.wrote(len(chunk))
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        label = self._custody_label(source)
        self.inputs.add(InputFile(path=label, size=total, sha256=digest.hexdigest()))

    def file_key(self, entry: ManifestEntry, info: BackupFileInfo | None = None) -> bytes:
        info = info or entry.info()
        if info.encryption_key is None:
            raise EvidenceError(tr('%(entry)s has no encryption key in %(manifest_db)s', entry=entry.label,
                                   manifest_db=MANIFEST_DB))
        return unwrap_entry_key(self._check_unlocked(), info.encryption_key, entry.label)

    def plain_file(self, entry: ManifestEntry) -> Path:
        """A path holding the file's plain bytes: the stored file itself for plain backups (never to
        be opened for writing), a decrypted copy in the work folder for encrypted ones."""
        source = self.stored_file(entry)
        if not self.encrypted:
            return source
        target = self.workdir / "decrypted" / entry.file_id[:2] / entry.file_id
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = entry.info()
        self._decrypt_to(source, target, self.file_key(entry, info), info.size, entry.label)
        return target

    def read(self, entry: ManifestEntry, limit: int) -> bytes:
        source = self.stored_file(entry)
        size = source.stat().st_size
        if size > limit + 16:
            raise EvidenceError(tr('%(entry)s is %(size)s bytes, over the limit of %(limit)s', entry=entry.label,
                                   size=size, limit=limit))
        path = self.plain_file(entry)
        data = path.read_bytes()
        if not self.encrypted:
            self.inputs.add(InputFile(path=self._custody_label(source), size=len(data),
                                      sha256=hashlib.sha256(data).hexdigest()))
        return data

    def copy_plain(self, entry: ManifestEntry, target: Path) -> None:
        """Write the file's plain bytes to ``target`` (hashing the stored file for custody)."""
        source = self.stored_file(entry)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self.encrypted:
            info = entry.info()
            self._decrypt_to(source, target, self.file_key(entry, info), info.size, entry.label)
        else:
            copy_with_hash(source, target, self.inputs, self._custody_label(source))

    def private_dir(self) -> Path:
        path = self.workdir / "sqlite" / f"{os.getpid()}-{next(_COUNTER)}"
        path.mkdir(parents=True, mode=0o700)
        return path
