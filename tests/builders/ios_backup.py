"""Synthetic iTunes/Finder iOS backups for tests: plain or really encrypted.

Usage::

    from tests.builders.ios_backup import BackupBuilder

    b = BackupBuilder(tmp_path / "backup")                  # the backup folder to create
    b.add_file("HomeDomain", "Library/Preferences/x.plist", b"...", mtime=1_700_000_000)
    b.add_plist("HomeDomain", "Library/Preferences/y.plist", {"a": 1})
    b.add_sqlite("HomeDomain", "Library/SMS/sms.db", ["CREATE TABLE message(...)", "INSERT ..."])
    b.add_sqlite("AppDomain-net.whatsapp.WhatsApp", "Documents/x.sqlite", lambda conn: ...)
    b.add_app("com.example.app", itunes_metadata={"sourceApp": "com.apple.AppStore", ...})
    path = b.build()                                         # plain backup, returns the folder
    path = b.build(password="secret")                        # encrypted (real keybag, DPIC/ITER 10)

What ``build`` writes (formats as documented publicly for iOS 10+ backups):

* ``Info.plist`` (device name, product type/version, serial, UDID, last backup date, ``Applications``
  with ``iTunesMetadata`` blobs, ``Installed Applications``); override/extend keys with ``info=``;
* ``Manifest.plist`` (``IsEncrypted``, ``Lockdown`` dict, ``Applications``, ``Date``, ``Version``; when
  encrypted a real ``BackupKeyBag`` (TLV) whose class keys are AES-key-wrapped under the key derived
  from the password with PBKDF2-SHA256 (DPSL/DPIC) then PBKDF2-SHA1 (SALT/ITER), and ``ManifestKey``);
  override with ``manifest=``; ``Status.plist`` (override with ``status=``);
* ``Manifest.db`` with a ``Files`` table (fileID, domain, relativePath, flags, file) whose ``file``
  column holds a real NSKeyedArchiver ``MBFile`` (Size, Mode, Birth, LastModified, LastStatusChange,
  ProtectionClass, InodeNumber, UserID, GroupID, RelativePath, and EncryptionKey when encrypted); when
  encrypted, Manifest.db itself is AES-256-CBC encrypted with the ManifestKey;
* each file at ``<fileID[:2]>/<fileID>`` where ``fileID = sha1("<domain>-<relativePath>")`` (AES-256-CBC
  with a random per-file key, PKCS#7 padded, when encrypted).

``BackupBuilder.file_id(domain, rel)`` gives a file's id; ``mbfile_blob(...)`` builds one ``file`` blob
on its own; ``KEYBAG_*`` constants and ``passcode_key(password, ...)`` expose the key derivation for
tests that need them. Nothing here imports spyscan: the encryption is written from the format
description, independently from the code under test.
"""

from __future__ import annotations

import hashlib
import os
import plistlib
import sqlite3
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.keywrap import aes_key_wrap

from .sqlite import EMPTY_DATAUSAGE_DB, EMPTY_SMS_DB, SqliteContent, sqlite_bytes

DEFAULT_DATE = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
DEFAULT_MTIME = 1_714_979_289  # 2024-05-06T07:08:09Z
KEYBAG_DPIC = 10  # real backups use ~10,000,000; tests stay fast
KEYBAG_ITER = 10
PROTECTION_CLASSES = range(1, 12)
MODE_FILE = 0o100644
MODE_DIR = 0o040755
FLAG_FILE = 1
FLAG_DIR = 2


def file_id(domain: str, relative_path: str) -> str:
    return hashlib.sha1(f"{domain}-{relative_path}".encode()).hexdigest()


def passcode_key(password: str, dpsl: bytes, dpic: int, salt: bytes, iterations: int) -> bytes:
    first = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), dpsl, dpic, 32)
    return hashlib.pbkdf2_hmac("sha1", first, salt, iterations, 32)


def aes_cbc_encrypt(key: bytes, data: bytes) -> bytes:
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(b"\x00" * 16)).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def mbfile_blob(*, relative_path: str, size: int, mode: int = MODE_FILE, birth: int = DEFAULT_MTIME,
                modified: int = DEFAULT_MTIME, status_changed: int = DEFAULT_MTIME, protection_class: int = 3,
                inode: int = 1000, encryption_key: bytes | None = None, extra: dict[str, Any] | None = None,
                omit: Sequence[str] = ()) -> bytes:
    """An NSKeyedArchiver binary plist holding one ``MBFile`` (as in Manifest.db ``Files.file``)."""
    objects: list[Any] = ["$null"]
    mbfile: dict[str, Any] = {
        "Birth": birth, "Flags": 0, "GroupID": 501, "InodeNumber": inode, "LastModified": modified,
        "LastStatusChange": status_changed, "Mode": mode, "ProtectionClass": protection_class,
        "Size": size, "UserID": 501,
    }
    mbfile.update(extra or {})
    for key in omit:
        mbfile.pop(key, None)
    objects.append(mbfile)
    objects.append(relative_path)
    mbfile["RelativePath"] = plistlib.UID(2)
    if encryption_key is not None:
        objects.append({"NS.data": encryption_key, "$class": plistlib.UID(len(objects) + 1)})
        mbfile["EncryptionKey"] = plistlib.UID(len(objects) - 1)
        objects.append({"$classname": "NSMutableData", "$classes": ["NSMutableData", "NSData", "NSObject"]})
    objects.append({"$classname": "MBFile", "$classes": ["MBFile", "NSObject"]})
    mbfile["$class"] = plistlib.UID(len(objects) - 1)
    archive = {"$version": 100000, "$archiver": "NSKeyedArchiver", "$top": {"root": plistlib.UID(1)},
               "$objects": objects}
    return plistlib.dumps(archive, fmt=plistlib.FMT_BINARY)


@dataclass
class BackupEntry:
    domain: str
    relative_path: str
    data: bytes | None  # None: a directory
    mtime: int = DEFAULT_MTIME
    mode: int = MODE_FILE
    protection_class: int = 3

    @property
    def file_id(self) -> str:
        return file_id(self.domain, self.relative_path)


@dataclass
class _Keybag:
    blob: bytes
    class_keys: dict[int, bytes]


def _tlv(tag: str, value: bytes | int) -> bytes:
    raw = struct.pack(">I", value) if isinstance(value, int) else value
    return tag.encode("ascii") + struct.pack(">I", len(raw)) + raw


def _make_keybag(password: str, dpic: int, iterations: int) -> _Keybag:
    salt, dpsl = os.urandom(20), os.urandom(20)
    key = passcode_key(password, dpsl, dpic, salt, iterations)
    parts = [_tlv("VERS", 4), _tlv("TYPE", 1), _tlv("UUID", os.urandom(16)), _tlv("HMCK", os.urandom(40)),
             _tlv("WRAP", 0), _tlv("SALT", salt), _tlv("ITER", iterations), _tlv("DPWT", 1),
             _tlv("DPIC", dpic), _tlv("DPSL", dpsl)]
    class_keys: dict[int, bytes] = {}
    for clas in PROTECTION_CLASSES:
        class_keys[clas] = os.urandom(32)
        parts += [_tlv("UUID", os.urandom(16)), _tlv("CLAS", clas), _tlv("WRAP", 2), _tlv("KTYP", 0),
                  _tlv("WPKY", aes_key_wrap(key, class_keys[clas]))]
    return _Keybag(blob=b"".join(parts), class_keys=class_keys)


@dataclass
class BackupBuilder:
    root: Path
    device_name: str = "Test iPhone"
    product_type: str = "iPhone14,2"
    product_version: str = "17.5.1"
    build_version: str = "21F90"
    serial: str = "F2LTESTSERIAL"
    udid: str = "00008110-000A1B2C3D4E5F60"
    backup_date: datetime = DEFAULT_DATE
    entries: list[BackupEntry] = field(default_factory=list)
    applications: dict[str, dict[str, Any]] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)  # extra/overriding Info.plist keys
    manifest: dict[str, Any] = field(default_factory=dict)  # extra/overriding Manifest.plist keys
    status: dict[str, Any] = field(default_factory=dict)  # extra/overriding Status.plist keys
    omit_files: set[str] = field(default_factory=set)  # top-level files not to write ("Status.plist"...)

    file_id = staticmethod(file_id)

    # -- content ------------------------------------------------------------------------------
    def add_file(self, domain: str, relative_path: str, data: bytes, *, mtime: int = DEFAULT_MTIME,
                 mode: int = MODE_FILE, protection_class: int = 3) -> str:
        self.entries.append(BackupEntry(domain, relative_path, data, mtime, mode, protection_class))
        return file_id(domain, relative_path)

    def add_directory(self, domain: str, relative_path: str, *, mtime: int = DEFAULT_MTIME) -> str:
        self.entries.append(BackupEntry(domain, relative_path, None, mtime, MODE_DIR))
        return file_id(domain, relative_path)

    def add_plist(self, domain: str, relative_path: str, obj: Any, *, binary: bool = True,
                  mtime: int = DEFAULT_MTIME) -> str:
        fmt = plistlib.FMT_BINARY if binary else plistlib.FMT_XML
        return self.add_file(domain, relative_path, plistlib.dumps(obj, fmt=fmt), mtime=mtime)

    def add_sqlite(self, domain: str, relative_path: str,
                   statements: Sequence[str] | Callable[[sqlite3.Connection], None],
                   *, mtime: int = DEFAULT_MTIME) -> str:
        content: SqliteContent = statements
        return self.add_file(domain, relative_path, sqlite_bytes(content), mtime=mtime)

    def add_system_databases(self) -> BackupBuilder:
        """The (empty) databases every iPhone backup holds and a clean verdict needs read (sms.db)."""
        self.add_sqlite("HomeDomain", "Library/SMS/sms.db", EMPTY_SMS_DB)
        self.add_sqlite("WirelessDomain", "Library/Databases/DataUsage.sqlite", EMPTY_DATAUSAGE_DB)
        return self

    def add_app(self, bundle_id: str, *, itunes_metadata: dict[str, Any] | bytes | None = None,
                version: str = "1.0", container: bool = True) -> None:
        """An installed app: Info.plist ``Applications``/``Installed Applications``, Manifest.plist
        ``Applications`` and (``container``) its ``AppDomain-<id>`` folder."""
        app: dict[str, Any] = {}
        if isinstance(itunes_metadata, dict):
            app["iTunesMetadata"] = plistlib.dumps(itunes_metadata, fmt=plistlib.FMT_BINARY)
        elif isinstance(itunes_metadata, bytes):
            app["iTunesMetadata"] = itunes_metadata
        self.applications[bundle_id] = {"info": app, "version": version}
        if container:
            self.add_directory(f"AppDomain-{bundle_id}", "")

    # -- writing ------------------------------------------------------------------------------
    def build(self, password: str | None = None, *, dpic: int = KEYBAG_DPIC, iterations: int = KEYBAG_ITER) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        keybag = _make_keybag(password, dpic, iterations) if password is not None else None
        rows: list[tuple[str, str, str, int, bytes]] = []
        for inode, entry in enumerate(self.entries, start=1000):
            fid = entry.file_id
            wrapped: bytes | None = None
            if entry.data is not None:
                payload = entry.data
                if keybag is not None:
                    file_key = os.urandom(32)
                    clas = entry.protection_class
                    wrapped = struct.pack("<I", clas) + aes_key_wrap(keybag.class_keys[clas], file_key)
                    payload = aes_cbc_encrypt(file_key, entry.data)
                target = self.root / fid[:2] / fid
                target.parent.mkdir(exist_ok=True)
                target.write_bytes(payload)
            blob = mbfile_blob(relative_path=entry.relative_path, size=len(entry.data or b""), mode=entry.mode,
                               birth=entry.mtime, modified=entry.mtime, status_changed=entry.mtime,
                               protection_class=entry.protection_class, inode=inode, encryption_key=wrapped)
            flags = FLAG_DIR if entry.data is None else FLAG_FILE
            rows.append((fid, entry.domain, entry.relative_path, flags, blob))
        db = sqlite_bytes(lambda conn: _fill_manifest_db(conn, rows))
        manifest_key_entry: bytes | None = None
        if keybag is not None:
            manifest_key = os.urandom(32)
            manifest_key_entry = struct.pack("<I", 4) + aes_key_wrap(keybag.class_keys[4], manifest_key)
            db = aes_cbc_encrypt(manifest_key, db)
        (self.root / "Manifest.db").write_bytes(db)
        self._write_plists(keybag, manifest_key_entry)
        return self.root

    def _write_plists(self, keybag: _Keybag | None, manifest_key: bytes | None) -> None:
        lockdown = {"DeviceName": self.device_name, "ProductType": self.product_type,
                    "ProductVersion": self.product_version, "BuildVersion": self.build_version,
                    "SerialNumber": self.serial, "UniqueDeviceID": self.udid}
        manifest: dict[str, Any] = {
            "Version": "10.0", "Date": self.backup_date.replace(tzinfo=None), "SystemDomainsVersion": "24.0",
            "WasPasscodeSet": True, "IsEncrypted": keybag is not None, "Lockdown": lockdown,
            "Applications": {bid: {"CFBundleIdentifier": bid, "CFBundleVersion": app["version"],
                                   "ContainerContentClass": "Data/Application"}
                             for bid, app in self.applications.items()},
        }
        if keybag is not None and manifest_key is not None:
            manifest["BackupKeyBag"] = keybag.blob
            manifest["ManifestKey"] = manifest_key
        manifest.update(self.manifest)
        info: dict[str, Any] = {
            "Build Version": self.build_version, "Device Name": self.device_name, "Display Name": self.device_name,
            "GUID": "0123456789ABCDEF0123456789ABCDEF", "Last Backup Date": self.backup_date.replace(tzinfo=None),
            "Product Type": self.product_type,  # no "Product Name": a real Info.plist has none (MVT sample)
            "Product Version": self.product_version, "Serial Number": self.serial,
            "Target Identifier": self.udid, "Target Type": "Device", "Unique Identifier": self.udid.upper(),
            "iTunes Version": "12.13", "Installed Applications": sorted(self.applications),
            # as pymobiledevice3 and iTunes write it: an entry only for apps that have store metadata
            "Applications": {bid: app["info"] for bid, app in self.applications.items() if app["info"]},
        }
        info.update(self.info)
        status: dict[str, Any] = {"BackupState": "new", "IsFullBackup": False, "Version": "3.3",
                                  "UUID": "11111111-2222-3333-4444-555555555555",
                                  "Date": self.backup_date.replace(tzinfo=None), "SnapshotState": "finished"}
        status.update(self.status)
        for name, obj, fmt in (("Info.plist", info, plistlib.FMT_XML),
                               ("Manifest.plist", manifest, plistlib.FMT_BINARY),
                               ("Status.plist", status, plistlib.FMT_BINARY)):
            if name not in self.omit_files:
                (self.root / name).write_bytes(plistlib.dumps(obj, fmt=fmt))


def _fill_manifest_db(conn: sqlite3.Connection, rows: list[tuple[str, str, str, int, bytes]]) -> None:
    conn.execute("CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, "
                 "file BLOB)")
    conn.execute("CREATE INDEX FilesDomainIdx ON Files(domain)")
    conn.execute("CREATE INDEX FilesRelativePathIdx ON Files(relativePath)")
    conn.execute("CREATE INDEX FilesFlagsIdx ON Files(flags)")
    conn.execute("CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB)")
    conn.executemany("INSERT OR REPLACE INTO Files VALUES (?, ?, ?, ?, ?)", rows)
