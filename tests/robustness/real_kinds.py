"""Real evidence objects for the artifacts that read a kind-specific parsed view.

Some artifacts do not read files through the generic access methods that the hostile evidence answers:
they read a view that only the kind's own code builds (``AndroidBackupEvidence.backup_entries()``,
``BugreportEvidence.files()``/``fs_files()``/``system_properties()``, ``IntrusionLogsEvidence.events()``,
the ``listing`` of ``IOSFilesystemEvidence`` and ``SysdiagnoseEvidence``). For those, one recipe per
artifact writes a small real acquisition with the builders in ``tests/builders`` whose relevant file
holds the variant's bytes, and opens it with the real kind, so that the artifact reads the damage through
its real kind code.

``RealCase.damaged`` names the files that hold the variant (for the matrix's "the error names the file"
rule); ``RealCase.listing_only`` says why an artifact that only lists files (names, sizes, times) and never
reads their content is exempt from the "never silently ok" rule, in which case the matrix checks instead
that the damaged file was listed.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from spyscan.evidence.base import Evidence
from spyscan.kinds import all_kinds
from tests.builders import android_backup, bugreport, intrusion_logs, ios_fs, sysdiagnose

from .variants import VariantFiles

LISTING_ONLY = "reads only the listing (names, sizes, times), never a file's content: listing the damaged file is right"


@dataclass
class RealCase:
    evidence: Evidence
    input_root: Path  # everything that belongs to the evidence (hashed before and after the run)
    damaged: list[str]  # names of the files holding the variant
    listing_only: str | None = None
    before: dict[str, str] = field(default_factory=dict)

    def snapshot(self) -> dict[str, str]:
        return {str(p.relative_to(self.input_root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(self.input_root.rglob("*")) if p.is_file() and not p.is_symlink()}

    def served_changes(self) -> list[str]:
        """Evidence files that changed, vanished or appeared (a -shm, a checkpointed -wal...)."""
        after = self.snapshot()
        return sorted(k for k in self.before.keys() | after.keys() if self.before.get(k) != after.get(k))


@dataclass(frozen=True)
class Built:
    kind: str
    path: Path
    damaged: list[str]
    listing_only: str | None = None


Recipe = Callable[[VariantFiles, str, Path], Built]


def _backup_messages(files: VariantFiles, variant: str, root: Path) -> Built:
    name = f"{android_backup.TELEPHONY}/000000_sms_backup"
    json_bytes = files.data(variant, "json")
    # the stored file is zlib-compressed JSON: empty and random files are damaged as stored,
    # every other variant is the JSON inside a valid zlib stream
    stored = json_bytes if variant in ("zero_length", "random_bytes") else zlib.compress(json_bytes)
    path = android_backup.write_ab(root / "backup.ab", android_backup.tar_bytes([(name, stored)]))
    return Built("android-backup", path, [name])


def _backup_database(name: str) -> Recipe:
    """A backup holding the SQLite database ``name`` as the variant (with its -wal for "pending_wal")."""
    def build(files: VariantFiles, variant: str, root: Path) -> Built:
        entries = [(name, files.data(variant, "sqlite"))]
        if variant == "pending_wal":
            entries.append((name + "-wal", files.wal()))
        return Built("android-backup", android_backup.write_ab(root / "backup.ab", android_backup.tar_bytes(entries)),
                     [name])
    return build


def _bugreport(extra: dict[str, bytes], damaged: list[str], listing_only: str | None = None) -> Callable[[Path], Built]:
    def build(root: Path) -> Built:
        tree = bugreport.bugreport_files(planted=False)
        tree.update(extra)
        path = bugreport.write_bugreport_folder(root / "bugreport", tree)
        return Built("bugreport", path, damaged, listing_only)
    return build


def _bugreport_getprop(files: VariantFiles, variant: str, root: Path) -> Built:
    name = bugreport.DUMPSTATE
    if variant == "truncated":  # a real dumpstate cut at 60 %, inside its SYSTEM PROPERTIES block
        properties = {f"persist.example.key{i}": f"value {i}" for i in range(300)}
        valid = bugreport.dumpstate({**bugreport.DEFAULT_PROPERTIES, **properties}).encode()
        dumpstate = valid[: int(len(valid) * 0.6) + 1]
    else:  # the variant is the block's content; an empty variant is an empty dumpstate
        text = files.data(variant, "text")
        dumpstate = b"------ SYSTEM PROPERTIES (getprop) ------\n" + text if text else b""
    return _bugreport({name: dumpstate}, [name])(root)


def _bugreport_block(title: str, valid_body: str) -> Recipe:
    """A dumpstate whose block ``title`` holds the variant (cut inside the block for "truncated")."""
    def build(files: VariantFiles, variant: str, root: Path) -> Built:
        name = bugreport.DUMPSTATE
        header = f"------ {title} ------\n".encode()
        if variant == "truncated":
            valid = bugreport.dumpstate(bugreport.DEFAULT_PROPERTIES).encode() + header + valid_body.encode() * 40
            dumpstate = valid[: int(len(valid) * 0.9) + 1]
        else:
            text = files.data(variant, "text")
            dumpstate = bugreport.dumpstate(bugreport.DEFAULT_PROPERTIES).encode() + header + text if text else b""
        return _bugreport({name: dumpstate}, [name])(root)
    return build


def _dumpsys_settings(files: VariantFiles, variant: str, root: Path) -> Built:
    name = bugreport.DUMPSTATE
    body = files.data(variant, "text")
    if variant == "truncated":
        valid = bugreport.dumpstate(bugreport.DEFAULT_PROPERTIES, services={"settings": "SECURE SETTINGS (user 0)\n" + (
            "_id:1 name:accessibility_enabled pkg:android value:0\n" * 50)}).encode()
        dumpstate = valid[: int(len(valid) * 0.9) + 1]
    else:
        dumpstate = (bugreport.dumpstate(bugreport.DEFAULT_PROPERTIES).encode() + b"DUMP OF SERVICE settings:\n" + body
                     if body else b"")
    return _bugreport({name: dumpstate}, [name])(root)


def _bugreport_mounts(files: VariantFiles, variant: str, root: Path) -> Built:
    name = "FS/proc/1/mountinfo"
    return _bugreport({name: files.data(variant, "text")}, [name])(root)


PS_HEADER = "LABEL USER PID TID PPID VSZ RSS WCHAN ADDR S PRI NI RTPRIO SCH PCY TIME CMD\n"
PS_ROW = "u:r:init:s0 root 1 1 0 10904096 10804 do_epoll_wait 0 S 19 0 - 0 fg 00:00:06 init\n"


def _bugreport_tombstones(files: VariantFiles, variant: str, root: Path) -> Built:
    text_name, proto_name = "FS/data/tombstones/tombstone_00", "FS/data/tombstones/tombstone_01.pb"
    return _bugreport({text_name: files.data(variant, "text"), proto_name: files.data(variant, "text")},
                      [text_name, proto_name])(root)


def _bugreport_fs_timestamps(files: VariantFiles, variant: str, root: Path) -> Built:
    name = "FS/data/misc/damaged.txt"
    return _bugreport({name: files.data(variant, "text")}, [name], LISTING_ONLY)(root)


def _intrusion(files: VariantFiles, variant: str, root: Path) -> Built:
    # the export's JSON logs: one file holding the variant (JSON format, as its name says) next to a valid one
    good = intrusion_logs.export_files(planted=False)["2024-06-01.txt"]
    path = intrusion_logs.write_folder(root / "intrusion-logs",
                                       {"2024-06-01.txt": good, "2024-06-02.json": files.data(variant, "json")})
    return Built("intrusion-logs", path, ["2024-06-02.json"])


def _ios_fs_listing(files: VariantFiles, variant: str, root: Path) -> Built:
    name = "private/var/mobile/Library/SMS/sms.db"
    builder = ios_fs.FsDumpBuilder().system_volume()
    builder.add_file(name, files.data(variant, "sqlite"))
    if variant == "pending_wal":
        builder.add_file(name + "-wal", files.wal())
    return Built("ios-fs", builder.build_folder(root / "dump"), [name], LISTING_ONLY)


def _privacy_report(files: VariantFiles, variant: str, root: Path) -> Built:
    name = "App_Privacy_Report_v4_2024-06-01T10_00_00.ndjson"
    (root / name).write_bytes(files.data(variant, "json"))
    return Built("ios-privacy-report", root / name, [name])


def _sysdiagnose(rel: str, fmt: str) -> Recipe:
    def build(files: VariantFiles, variant: str, root: Path) -> Built:
        builder = sysdiagnose.SysdiagnoseBuilder()
        builder.add_text("ps.txt", sysdiagnose.ps_text([("root", 1, 0, "/sbin/launchd")]))
        builder.add_file(rel, files.data(variant, fmt))
        return Built("sysdiagnose", builder.build_folder(root), [rel])
    return build


RECIPES: dict[str, Recipe] = {
    "android.backup.messages": _backup_messages,
    "android.backup.sms_database": _backup_database("apps/com.android.providers.telephony/db/mmssms.db"),
    "android.backup.call_log": _backup_database("apps/com.android.providers.contacts/db/contacts2.db"),
    "android.bugreport.getprop": _bugreport_getprop,
    "android.bugreport.tombstones": _bugreport_tombstones,
    "android.bugreport.fs_timestamps": _bugreport_fs_timestamps,
    "android.bugreport.mounts": _bugreport_mounts,
    "android.bugreport.processes": _bugreport_block("PROCESSES AND THREADS (ps -A -T -Z)", PS_HEADER + PS_ROW),
    "android.dumpsys.settings": _dumpsys_settings,
    "android.intrusion.connect": _intrusion,
    "android.intrusion.dns": _intrusion,
    "android.intrusion.security": _intrusion,
    "ios.fs.file_listing": _ios_fs_listing,
    "ios.privacy_report": _privacy_report,
    "ios.sysdiagnose.log_processes": _sysdiagnose("logs/Damaged/damaged.log", "text"),
    "ios.sysdiagnose.system_version": _sysdiagnose("logs/SystemVersion/SystemVersion.plist", "plist"),
}


def real_case(artifact_id: str, variant: str, files: VariantFiles, base: Path) -> RealCase | None:
    """A real, opened evidence whose relevant file is ``variant``, or None when no recipe exists."""
    recipe = RECIPES.get(artifact_id)
    if recipe is None:
        return None
    input_root = base / "input"
    input_root.mkdir(parents=True)
    built = recipe(files, variant, input_root)
    workdir = base / "work"
    workdir.mkdir()
    case = RealCase(all_kinds()[built.kind](built.path, workdir), input_root, built.damaged, built.listing_only)
    case.before = case.snapshot()
    case.evidence.open()
    return case
