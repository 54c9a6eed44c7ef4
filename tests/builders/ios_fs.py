"""Synthetic iOS filesystem dumps for tests, as a folder or a tar (plain or gzip).

Usage::

    from tests.builders.ios_fs import FsDumpBuilder

    b = FsDumpBuilder()
    b.add_file("private/var/db/diagnostics/shutdown.log", b"...", mtime=1_700_000_000)
    b.add_file("usr/libexec/somed", b"\\xcf\\xfa\\xed\\xfe", mode=0o755)
    b.add_sqlite("private/var/networkd/netusage.sqlite", ["CREATE TABLE ...", "INSERT ..."])
    b.add_symlink("private/var/mobile/out", "/etc/passwd")
    folder = b.build_folder(tmp_path / "dump")
    archive = b.build_tar(tmp_path / "dump.tar.gz", prefix="./")

Paths are relative to the device root; ``prefix`` puts the whole dump under a folder in the tar.
The builders import nothing from spyscan; ``index``/``run``/``open_evidence`` at the end (imports inside)
run artifacts through the real detection pipeline with a small indicator index.
"""

from __future__ import annotations

import io
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .sqlite import EMPTY_DATAUSAGE_DB, EMPTY_SMS_DB, SqliteContent, sqlite_bytes

DEFAULT_MTIME = 1_700_000_000


@dataclass
class _Item:
    path: str
    data: bytes | None  # None: a folder
    mode: int
    mtime: int
    link: str | None = None


class FsDumpBuilder:
    def __init__(self) -> None:
        self.items: dict[str, _Item] = {}

    def add_dir(self, path: str, mtime: int = DEFAULT_MTIME) -> FsDumpBuilder:
        self.items[path] = _Item(path, None, 0o755, mtime)
        return self

    def add_file(self, path: str, data: bytes, mode: int = 0o644, mtime: int = DEFAULT_MTIME) -> FsDumpBuilder:
        self.items[path] = _Item(path, data, mode, mtime)
        return self

    def add_text(self, path: str, text: str, **kw: int) -> FsDumpBuilder:
        return self.add_file(path, text.encode(), **kw)

    def add_sqlite(self, path: str, content: SqliteContent, mtime: int = DEFAULT_MTIME) -> FsDumpBuilder:
        return self.add_file(path, sqlite_bytes(content), mtime=mtime)

    def add_system_databases(self) -> FsDumpBuilder:
        """The (empty) databases every iPhone has and a clean verdict needs read (sms.db, DataUsage)."""
        self.add_sqlite("private/var/mobile/Library/SMS/sms.db", EMPTY_SMS_DB)
        self.add_sqlite("private/var/wireless/Library/Databases/DataUsage.sqlite", EMPTY_DATAUSAGE_DB)
        return self

    def add_symlink(self, path: str, target: str) -> FsDumpBuilder:
        self.items[path] = _Item(path, None, 0o777, DEFAULT_MTIME, link=target)
        return self

    def system_volume(self) -> FsDumpBuilder:
        """A few system binaries, so that the dump has a system volume."""
        for name in ("mDNSResponder", "locationd", "identityservicesd"):
            self.add_file(f"usr/libexec/{name}", b"\xcf\xfa\xed\xfe", mode=0o755)
        self.add_file("sbin/launchd", b"\xcf\xfa\xed\xfe", mode=0o755)
        self.add_dir("System/Library/Frameworks")
        return self

    def build_folder(self, root: Path) -> Path:
        root.mkdir(parents=True, exist_ok=True)
        (root / "private" / "var" / "mobile").mkdir(parents=True, exist_ok=True)
        for item in sorted(self.items.values(), key=lambda i: i.path):
            target = root / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if item.link is not None:
                target.symlink_to(item.link)
            elif item.data is None:
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.write_bytes(item.data)
                target.chmod(item.mode)
                os.utime(target, (item.mtime, item.mtime))
        return root

    def build_tar(self, dest: Path, prefix: str = "", compress: str = "gz", device_folders: bool = True) -> Path:
        """``device_folders``: add private/var/mobile even when no file lives there."""
        mode = f"w:{compress}" if compress else "w"
        with tarfile.open(dest, mode) as tar:  # type: ignore[call-overload]
            folders = {"private", "private/var", "private/var/mobile"} if device_folders else set()
            for item in self.items.values():
                parts = item.path.split("/")
                folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
            for folder in sorted(folders):
                info = tarfile.TarInfo(prefix + folder)
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                info.mtime = DEFAULT_MTIME
                tar.addfile(info)
            for item in sorted(self.items.values(), key=lambda i: i.path):
                info = tarfile.TarInfo(prefix + item.path)
                info.mtime = item.mtime
                info.mode = item.mode
                if item.link is not None:
                    info.type = tarfile.SYMTYPE
                    info.linkname = item.link
                    tar.addfile(info)
                elif item.data is None:
                    info.type = tarfile.DIRTYPE
                    tar.addfile(info)
                else:
                    info.size = len(item.data)
                    tar.addfile(info, io.BytesIO(item.data))
        return dest


def shutdown_log(reboots: list[tuple[int, list[tuple[int, str]], list[tuple[float, list[tuple[int, str]]]]]]) -> str:
    """shutdown.log text: for each reboot ``(unix_time, initial clients, [(delay, clients still here)])``."""
    lines: list[str] = []
    for when, initial, delays in reboots:
        for pid, path in initial:
            lines.append(f"remaining client pid: {pid} ({path})")
        for delay, clients in delays:
            lines.append(f"After {delay:.2f}s, these clients are still here:")
            for pid, path in clients:
                lines.append(f"\t\tremaining client pid: {pid} ({path})")
        lines.append(f"SIGTERM: [{when}] All clients exited")
    return "\n".join(lines) + "\n"


NETUSAGE_SCHEMA = (
    "CREATE TABLE ZPROCESS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZFIRSTTIMESTAMP TIMESTAMP, "
    "ZTIMESTAMP TIMESTAMP, ZBUNDLENAME VARCHAR, ZPROCNAME VARCHAR)",
)


def netusage_rows(processes: list[tuple[str, str | None]]) -> list[str]:
    """Statements creating ZPROCESS with ``(ZPROCNAME, ZBUNDLENAME)`` rows (Cocoa times 7e8, 7.1e8)."""
    statements = list(NETUSAGE_SCHEMA)
    for pk, (proc, bundle) in enumerate(processes, start=1):
        bundle_sql = "NULL" if bundle is None else f"'{bundle}'"
        statements.append(f"INSERT INTO ZPROCESS VALUES ({pk}, 1, 1, 700000000, 710000000, {bundle_sql}, '{proc}')")
    return statements


# -- running artifacts in tests (these import spyscan) ------------------------------------------
def index(*pairs: tuple[str, str]) -> Any:
    """An IndicatorIndex of ``(stix type, value)`` pairs, family "TestSpy"."""
    from spyscan.indicators.index import IndicatorIndex
    from spyscan.indicators.model import Indicator

    return IndicatorIndex.build(
        [Indicator(type=kind, value=value, stix_id=f"indicator--{i}", malware="TestSpy", file="test.stix2")
         for i, (kind, value) in enumerate(pairs)]
    )


def run(artifact: Any, evidence: Any, matcher: Any = None) -> tuple[list[Any], list[Any], Any]:
    """Records, detections and log of one artifact run through the real pipeline with every rule."""
    from spyscan.artifacts.base import ArtifactLog
    from spyscan.detection.heuristics.base import all_rules
    from spyscan.detection.pipeline import RecordPipeline

    log = ArtifactLog()
    pipeline = RecordPipeline(artifact.id, matcher or index(), all_rules().values())
    records = []
    for record in artifact().collect(evidence, log):
        records.append(record)
        pipeline.feed(record)
    return records, pipeline.finish(), log


def open_evidence(cls: Any, path: Path, tmp_path: Path) -> Any:
    workdir = tmp_path / f"work-{cls.kind}-{path.name}"
    workdir.mkdir()
    evidence = cls(path, workdir)
    evidence.open()
    return evidence
