"""Android bugreports: the zip written by ``adb bugreport`` (or the same tree unpacked in a folder).

The dumpstate text (named by ``main_entry.txt``; otherwise ``dumpstate*.txt`` / ``bugreport-*.txt``)
is copied once (streaming, hashed for the custody log) into the private work folder, then read in
one streaming pass that both splits it into dumpsys sections (``DumpsysSource``: where each section
is in the copy, never the text itself) and keeps the ``SYSTEM PROPERTIES`` block. The split is done
in the parent process before the artifacts fork; each worker reads its sections back from the copy
by path. Files of the zip are only read through
``spyscan.evidence.archive.Archive`` (bounded, names checked).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.android_device import android_facts
from spyscan.evidence.android_dumpsys import DumpsysSection, split_dumpsys_file
from spyscan.evidence.android_time import DeviceClock, timezone_property
from spyscan.evidence.archive import Archive
from spyscan.evidence.base import DEFAULT_READ_LIMIT, Evidence
from spyscan.evidence.custody import InputFile, sha256_stream
from spyscan.evidence.secrets import Secrets
from spyscan.records.device import DeviceFacts
from spyscan.texts import N_, tr

MAIN_ENTRY = "main_entry.txt"
FS_PREFIX = "FS/"
_DUMPSTATE = re.compile(r"^(?:dumpstate.*|bugreport-.*)\.txt$")
_SECTION = re.compile(r"^------ (?P<title>.+?) ------\s*$")
PROPERTIES_TITLE = "SYSTEM PROPERTIES"
PROPERTIES_MAX_LINES = 50_000  # a real getprop block has a few thousand; a block never closed stops here


@dataclass(frozen=True)
class BugreportFile:
    name: str  # path inside the bugreport, POSIX, e.g. "FS/data/tombstones/tombstone_00"
    size: int
    mtime: float | None  # zip: the stored (device-local) time read as if UTC; folder: file mtime


@dataclass(frozen=True)
class PropertyLines:
    """A ``------ TITLE (command) ------`` block of the dumpstate, as ``(line number, text)`` pairs."""

    file: str
    lines: tuple[tuple[int, str], ...]
    cut: bool = False  # the dumpstate ends inside the block (no section follows it)
    title: str = PROPERTIES_TITLE  # the whole title, command included: "PROCESSES AND THREADS (ps -A -T ...)"


TextBlock = PropertyLines
# blocks of the dumpstate kept when it is read (by the name before the command in parentheses): the
# process list (AOSP dumpstate.cpp RunCommand("PROCESSES AND THREADS", {"ps", "-A", "-T", "-Z", ...}); before
# Android 8 "PROCESSES (ps -P)" and "PROCESSES AND THREADS (ps -t -p -P)")
CAPTURED_BLOCKS = (PROPERTIES_TITLE, "PROCESSES AND THREADS", "PROCESSES")
BLOCK_MAX_LINES = 200_000  # a real process-and-thread list has some thousands of lines


class BugreportEvidence(Evidence):
    kind = "bugreport"
    platform = "android"
    key_files = N_("a bugreport .zip or folder with main_entry.txt or bugreport-*.txt (dumpstate)")
    key_artifacts = ("android.bugreport.getprop", "android.dumpsys.packages")  # see docs/verdict.md
    label = N_("Android bugreport (zip or unpacked folder)")
    priority = 30

    def __init__(self, path: Path, workdir: Path, secrets: Secrets | None = None) -> None:
        super().__init__(path, workdir, secrets)
        self._archive: Archive | None = None
        self._archive_pid = 0
        self._files: dict[str, BugreportFile] | None = None
        self._dumpstate: str | None = None
        self._sections: dict[str, DumpsysSection] | None = None
        self._properties: PropertyLines | None = None
        self._blocks: tuple[TextBlock, ...] = ()

    # -- detection -----------------------------------------------------------------------------
    @classmethod
    def detect(cls, path: Path) -> bool:
        if path.is_dir():
            names = [p.name for p in path.iterdir() if p.is_file()]
        elif Archive.is_archive(path) and path.suffix.lower() == ".zip":
            try:
                with Archive(path) as archive:
                    names = [n for n in archive.members() if "/" not in n]
            except EvidenceError:
                return False
        else:
            return False
        return MAIN_ENTRY in names or any(_DUMPSTATE.match(n) for n in names)

    # -- life cycle ----------------------------------------------------------------------------
    def open(self) -> None:
        super().open()
        if self.path.is_file():
            self._archive_handle()
        self._dumpstate = self._find_dumpstate()
        if self._dumpstate is not None:
            self._load_dumpstate()  # once, in the parent: forked artifact workers share it

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def _archive_handle(self) -> Archive:
        """The archive, opened again in a forked worker (a shared zip file offset is not safe)."""
        if self._archive is None or self._archive_pid != os.getpid():
            self._archive = Archive(self.path)
            self._archive.members()
            self._archive_pid = os.getpid()
        return self._archive

    # -- listing and reading ---------------------------------------------------------------------
    def files(self) -> dict[str, BugreportFile]:
        """Every regular file of the bugreport by name (links are never listed or followed)."""
        if self._files is None:
            if self.path.is_file():
                self._files = {m.name: BugreportFile(m.name, m.size, m.mtime)
                               for m in self._archive_handle().files()}
            else:
                self._files = dict(self._walk_folder())
        return self._files

    def _walk_folder(self) -> Iterator[tuple[str, BugreportFile]]:
        for folder, dirs, names in os.walk(self.path, followlinks=False):
            dirs.sort()
            for name in sorted(names):
                full = Path(folder, name)
                info = full.lstat()
                if not stat.S_ISREG(info.st_mode):
                    continue
                rel = full.relative_to(self.path).as_posix()
                yield rel, BugreportFile(rel, info.st_size, info.st_mtime)

    def read_file(self, name: str, limit: int = DEFAULT_READ_LIMIT) -> bytes:
        """Bytes of the bugreport file ``name`` (bounded), recorded in the custody log."""
        entry = self.files().get(name)
        if entry is None:
            raise ArtifactNotFound(name)
        if entry.size > limit:
            raise EvidenceError(tr('%(name)s is %(size)s bytes, over the limit of %(limit)s', name=name,
                                   size=entry.size, limit=limit))
        if self.path.is_file():
            data = self._archive_handle().read(name)
        else:
            data = (self.path / PurePosixPath(name)).read_bytes()
        self.inputs.add(InputFile(path=name, size=len(data), sha256=hashlib.sha256(data).hexdigest()))
        return data

    def fs_files(self) -> list[BugreportFile]:
        """Files under ``FS/`` (the copies of device files the bugreport holds)."""
        return [f for name, f in sorted(self.files().items()) if name.startswith(FS_PREFIX)]

    # -- the dumpstate ---------------------------------------------------------------------------
    def _find_dumpstate(self) -> str | None:
        files = self.files()
        if MAIN_ENTRY in files:
            named = self.read_file(MAIN_ENTRY, limit=4096).decode("utf-8", errors="replace").strip()
            if named in files:
                return named
        candidates = sorted(n for n in files if "/" not in n and _DUMPSTATE.match(n))
        return candidates[0] if candidates else None

    @property
    def dumpstate_name(self) -> str:
        if self._dumpstate is None:
            raise ArtifactNotFound(tr('no dumpstate text in this bugreport (main_entry.txt, dumpstate*.txt)'))
        return self._dumpstate

    def _load_dumpstate(self) -> None:
        name = self.dumpstate_name
        copy = self._copy_to_workdir(name)
        blocks: list[tuple[str, list[tuple[int, str]]]] = []
        current: list[tuple[int, str]] | None = None

        def observe(number: int, text: str) -> None:
            nonlocal current
            header = _SECTION.match(text) if text.startswith("------ ") else None
            if header:
                title = header.group("title")
                kept = title.split(" (", 1)[0].strip() in CAPTURED_BLOCKS or title.startswith(PROPERTIES_TITLE)
                current = [] if kept else None
                if current is not None:
                    blocks.append((title, current))
            elif current is not None and len(current) < BLOCK_MAX_LINES:
                current.append((number, text))

        self._sections = split_dumpsys_file(copy, name, observe)
        self._blocks = tuple(TextBlock(file=name, lines=tuple(lines), title=title,
                                       cut=lines is current) for title, lines in blocks)
        properties = [b for b in self._blocks if b.title.startswith(PROPERTIES_TITLE)]
        self._properties = properties[0] if properties else PropertyLines(file=name, lines=())

    def _copy_to_workdir(self, name: str, limit: int = DEFAULT_READ_LIMIT) -> Path:
        """Stream the bugreport file ``name`` into the work folder (bounded, hashed into the custody log)."""
        entry = self.files().get(name)
        if entry is None:
            raise ArtifactNotFound(name)
        if entry.size > limit:
            raise EvidenceError(tr('%(name)s is %(size)s bytes, over the limit of %(limit)s', name=name,
                                   size=entry.size, limit=limit))
        folder = self.workdir / "dumpstate"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        dest = folder / PurePosixPath(name).name
        with dest.open("wb") as sink:
            if self.path.is_file():
                with self._archive_handle().open(name) as member:
                    size, digest = sha256_stream(member, sink)  # type: ignore[arg-type]
            else:
                with (self.path / PurePosixPath(name)).open("rb") as source:
                    size, digest = sha256_stream(source, sink)
        if size > limit:
            raise EvidenceError(tr('%(name)s is %(size)s bytes, over the limit of %(limit)s', name=name, size=size,
                                   limit=limit))
        dest.chmod(0o600)
        self.inputs.add(InputFile(path=name, size=size, sha256=digest))
        return dest

    def dumpsys_sections(self) -> dict[str, DumpsysSection]:
        if self._sections is None:
            self._load_dumpstate()
        assert self._sections is not None
        return self._sections

    def system_properties(self) -> PropertyLines:
        if self._properties is None:
            self._load_dumpstate()
        assert self._properties is not None
        return self._properties

    def blocks(self, name: str) -> list[TextBlock]:
        """The dumpstate's blocks named ``name`` (the title before the command), in file order."""
        if self._sections is None:
            self._load_dumpstate()
        return [b for b in self._blocks if b.title.split(" (", 1)[0].strip() == name]

    def device_clock(self) -> DeviceClock:
        """The device time zone from ``persist.sys.timezone`` in the dumpstate's SYSTEM PROPERTIES."""
        try:
            lines = self.system_properties().lines
        except (ArtifactNotFound, EvidenceError, OSError):
            lines = ()
        return DeviceClock.from_name(timezone_property(text for _, text in lines))

    def device_info(self) -> DeviceFacts:
        facts = DeviceFacts(platform="android", encrypted=False)  # adb bugreport writes a plain zip
        if self._dumpstate is not None:
            facts.details["bugreport dumpstate"] = self._dumpstate
        props: dict[str, str] = {}
        for _, text in (self._properties.lines if self._properties else ()):
            key, sep, value = text.partition("]: [")
            if sep and key.startswith("[") and value.endswith("]"):
                props[key[1:]] = value[:-1]
        return android_facts(props, facts)
