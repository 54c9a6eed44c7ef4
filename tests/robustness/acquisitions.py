"""One small, real acquisition per input kind and form, built with the builders in ``tests/builders``.

Each recipe puts its input alone in a fresh folder (so that the folder is "the evidence" to hash) and
includes a SQLite database with a pending ``-wal`` where the kind can hold one. A recipe whose builder
module does not exist yet raises ``MissingBuilder`` naming the module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from .dbfiles import db_with_pending_wal


class MissingBuilder(Exception):
    pass


@dataclass(frozen=True)
class Acquisition:
    kind: str
    path: Path  # the input given to spyscan
    evidence_root: Path  # the folder holding everything that belongs to the evidence
    password: str | None = None  # for --password-env
    identity: Path | None = None  # age identity file (a secret too)


def _builder(name: str) -> ModuleType:
    module = f"tests.builders.{name}"
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            raise MissingBuilder(f"tests/builders/{name}.py does not exist yet") from exc
        raise


def _wal_pair(tmp: Path) -> tuple[bytes, bytes]:
    db = db_with_pending_wal(tmp / "walsrc", "w.db")
    return db.read_bytes(), db.with_name("w.db-wal").read_bytes()


def ios_backup(base: Path, password: str | None) -> Acquisition:
    mod = _builder("ios_backup")
    db, wal = _wal_pair(base)
    builder = mod.BackupBuilder(base / "evidence" / "backup")
    builder.add_file("HomeDomain", "Library/SMS/sms.db", db)
    builder.add_file("HomeDomain", "Library/SMS/sms.db-wal", wal)
    builder.add_plist("HomeDomain", "Library/Preferences/com.apple.example.plist", {"a": 1})
    path = builder.build(password=password)
    return Acquisition("ios-backup", path, base / "evidence", password=password)


def ios_fs(base: Path, form: str) -> Acquisition:
    mod = _builder("ios_fs")
    db, wal = _wal_pair(base)
    builder = mod.FsDumpBuilder().system_volume()
    builder.add_file("private/var/mobile/Library/SMS/sms.db", db)
    builder.add_file("private/var/mobile/Library/SMS/sms.db-wal", wal)
    builder.add_text("private/var/log/example.log", "hello\n")
    root = base / "evidence"
    root.mkdir(parents=True)
    path = builder.build_folder(root / "dump") if form == "folder" else builder.build_tar(root / "dump.tar.gz")
    return Acquisition("ios-fs", path, root)


def sysdiagnose(base: Path, form: str) -> Acquisition:
    mod = _builder("sysdiagnose")
    builder = mod.SysdiagnoseBuilder()
    builder.add_text("ps.txt", mod.ps_text([("root", 1, 0, "/sbin/launchd"), ("mobile", 300, 1, "/usr/bin/x")]))
    builder.add_text("system_logs.logarchive/Extra/shutdown.log", "SIGTERM: [1700000000] Shutting down\n")
    root = base / "evidence"
    root.mkdir(parents=True)
    path = builder.build(root) if form == "tar.gz" else builder.build_folder(root)
    return Acquisition("sysdiagnose", path, root)


def androidqf(base: Path, form: str, password: str | None = None) -> Acquisition:
    mod = _builder("androidqf")
    root = base / "evidence"
    root.mkdir(parents=True)
    identity = base / "keys" / "age-identity.txt" if form == "age-identity" else None
    if identity is not None:
        identity.parent.mkdir()
    path = mod.build_androidqf(root / "acq", form="age" if form.startswith("age") else form,
                               passphrase=password, identity=identity)
    return Acquisition("androidqf", path, root, password=password if form == "age" else None, identity=identity)


def bugreport(base: Path, form: str) -> Acquisition:
    mod = _builder("bugreport")
    root = base / "evidence"
    root.mkdir(parents=True)
    files = mod.bugreport_files(planted=False)
    path = (mod.write_bugreport_zip(root / "bugreport.zip", files) if form == "zip"
            else mod.write_bugreport_folder(root / "bugreport", files))
    return Acquisition("bugreport", path, root)


def intrusion_logs(base: Path, form: str) -> Acquisition:
    mod = _builder("intrusion_logs")
    root = base / "evidence"
    root.mkdir(parents=True)
    files = mod.export_files(planted=False)
    path = (mod.write_zip(root / "intrusion-logs.zip", files) if form == "zip"
            else mod.write_folder(root / "intrusion-logs", files))
    return Acquisition("intrusion-logs", path, root)


def android_backup(base: Path, password: str | None) -> Acquisition:
    mod = _builder("android_backup")
    root = base / "evidence"
    root.mkdir(parents=True)
    sms = mod.sms_backup([{"address": "+100", "body": "hello https://example.org", "date": "1700000000000",
                           "type": "1"}])
    payload = mod.tar_bytes([(f"{mod.TELEPHONY}/000000_sms_backup", sms)])
    path = mod.write_ab(root / "backup.ab", payload, password=password)
    return Acquisition("android-backup", path, root, password=password)


SECRET = "Sekret-7f3a9c-Pw"  # distinctive: searched for in every output
RECIPES: dict[str, Callable[[Path], Acquisition]] = {
    "ios-backup/plain": lambda b: ios_backup(b, None),
    "ios-backup/encrypted": lambda b: ios_backup(b, SECRET),
    "ios-fs/folder": lambda b: ios_fs(b, "folder"),
    "ios-fs/tar.gz": lambda b: ios_fs(b, "tar.gz"),
    "sysdiagnose/tar.gz": lambda b: sysdiagnose(b, "tar.gz"),
    "sysdiagnose/folder": lambda b: sysdiagnose(b, "folder"),
    "androidqf/folder": lambda b: androidqf(b, "folder"),
    "androidqf/zip": lambda b: androidqf(b, "zip"),
    "androidqf/zip.age-passphrase": lambda b: androidqf(b, "age", SECRET),
    "androidqf/zip.age-identity": lambda b: androidqf(b, "age-identity"),
    "bugreport/zip": lambda b: bugreport(b, "zip"),
    "bugreport/folder": lambda b: bugreport(b, "folder"),
    "intrusion-logs/folder": lambda b: intrusion_logs(b, "folder"),
    "intrusion-logs/zip": lambda b: intrusion_logs(b, "zip"),
    "android-backup/plain": lambda b: android_backup(b, None),
    "android-backup/encrypted": lambda b: android_backup(b, SECRET),
}
