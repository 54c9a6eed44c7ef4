"""androidqf acquisitions: a folder, a ``.zip`` of it, or an age-encrypted ``.zip.age``.

The three forms look the same to artifacts: ``resolve``/``read_bytes`` take paths relative to the
acquisition root, ``list_files`` lists them, and ``member_mtime`` gives a file's stored time. A zip
is listed once through the bounded ``Archive`` reader and members are extracted lazily (one at a
time, atomically) into the private work folder; a ``.zip.age`` is first decrypted (streaming) to
the work folder. ``dumpsys.txt`` is split into sections once, in one streaming pass over the file
(``DumpsysSource``); sections keep where their text is and read it back from the file by path.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.age import decrypt_with_identity, decrypt_with_passphrase, header_recipient_types, is_age_file
from spyscan.evidence.android_device import android_facts
from spyscan.evidence.android_dumpsys import DumpsysSection, split_dumpsys_file
from spyscan.evidence.android_time import DeviceClock, timezone_property
from spyscan.evidence.archive import Archive, ArchiveMember
from spyscan.evidence.base import Evidence
from spyscan.evidence.custody import InputFile, sha256_file
from spyscan.evidence.secrets import Secrets
from spyscan.records.device import DeviceFacts
from spyscan.texts import N_, tr

MARKERS = ("acquisition.json", "packages.json", "getprop.txt", "ps.txt", "processes.json", "files.json",
           "dumpsys.txt", "settings_global.txt", "settings_secure.txt", "root_binaries.json", "hashes.csv")
DUMPSYS_FILE = "dumpsys.txt"
GETPROP_FILE = "getprop.txt"
NESTED = (("android-backup", "backup.ab"), ("bugreport", "bugreport.zip"))
INTRUSION_DIRS = ("intrusion_logs", "intrusion-logs")
# what a partial acquisition may hold alone: each file is recognised by its content (first bytes)
_CONTENT = {
    "getprop.txt": re.compile(rb"^\s*\[[^\]\n]{1,200}\]: \["),
    "packages.json": re.compile(rb'^\s*\[\s*(?:\]|\{[^}]{0,400}"name")'),
    "dumpsys.txt": re.compile(rb"^(?:.*\n){0,50}DUMP OF SERVICE ", re.MULTILINE),
    "acquisition.json": re.compile(rb'^\s*\{[\s\S]{0,2000}"(?:androidqf_version|tool)"'),
    "processes.txt": re.compile(rb'^\s*(?:\[\s*\{[^}]{0,400}"pid"|[^\n]{0,200}\bPID\b)'),
    "ps.txt": re.compile(rb"^[^\n]{0,200}\bPID\b"),
    "processes.json": re.compile(rb'^\s*\[\s*\{[^}]{0,400}"pid"'),
    "backup.ab": re.compile(rb"^ANDROID BACKUP\n"),
}
HEAD = 4096
# files every androidqf release writes (processes under one of its names, settings as three files): the
# report names those an acquisition lacks
EXPECTED = (("acquisition.json",), ("getprop.txt",), ("packages.json",),
            ("processes.txt", "processes.json", "ps.txt"), ("dumpsys.txt",),
            ("settings_global.txt", "settings_secure.txt", "settings_system.txt"), ("files.json",))

AGE_PROMPT = tr("age passphrase of the encrypted acquisition")


def _marker_count(names: set[str], prefix: str = "") -> int:
    return sum(1 for m in MARKERS if prefix + m in names)


def _find_prefix(names: set[str], head: Callable[[str], bytes] | None = None) -> str | None:
    """``""`` when the markers are at the archive root, ``"<dir>/"`` when under one top folder.

    Two marker files suffice; one file alone (a partial acquisition: only ``getprop.txt``, only
    ``backup.ab``) counts when its content is what androidqf writes there (``head`` reads its first bytes).
    """
    tops = ["", *sorted({n.split("/", 1)[0] + "/" for n in names if "/" in n})]
    for prefix in tops:
        if _marker_count(names, prefix) >= 2:
            return prefix
    if head is None:
        return None
    for prefix in tops:
        for name, pattern in _CONTENT.items():
            if prefix + name in names and pattern.match(head(prefix + name)):
                return prefix
    return None


def _folder_head(folder: Path) -> Callable[[str], bytes]:
    def head(name: str) -> bytes:
        path = folder / name
        if path.is_symlink() or not path.is_file():
            return b""
        with path.open("rb") as fh:
            return fh.read(HEAD)
    return head


def _archive_head(archive: Archive) -> Callable[[str], bytes]:
    def head(name: str) -> bytes:
        with archive.open(name) as member:
            return member.read(HEAD)
    return head


class AndroidQFEvidence(Evidence):
    kind = "androidqf"
    platform = "android"
    key_files = N_("a folder, .zip or .zip.age holding androidqf files (getprop.txt, packages.json, processes.txt, "
                   "dumpsys.txt, ...)")
    key_artifacts = ("android.androidqf.getprop", "android.androidqf.packages")  # see docs/verdict.md
    label = N_("androidqf acquisition (folder, .zip or age-encrypted .zip.age)")
    priority = 40

    def __init__(self, path: Path, workdir: Path, secrets: Secrets | None = None) -> None:
        super().__init__(path, workdir, secrets)
        self._archive: Archive | None = None
        self._archive_path: Path | None = None
        self._archive_pid = 0
        self._prefix = ""
        self._members: dict[str, ArchiveMember] = {}
        self._extracted: dict[str, Path] = {}
        self._lock = threading.Lock()
        self._dumpsys: dict[str, DumpsysSection] | None = None
        self._clock: DeviceClock | None = None

    # -- detection ----------------------------------------------------------------------------
    @classmethod
    def detect(cls, path: Path) -> bool:
        if path.is_dir():
            names = {p.name for p in path.iterdir() if p.is_file()}
            return _find_prefix(names, _folder_head(path)) == ""
        if path.name.lower().endswith(".age") and is_age_file(path):
            return path.name.lower().endswith(".zip.age")
        if path.suffix.lower() == ".zip" and Archive.is_archive(path):
            try:
                with Archive(path) as archive:
                    return _find_prefix(set(archive.members()), _archive_head(archive)) is not None
            except EvidenceError:
                return False
        return False

    # -- life cycle -----------------------------------------------------------------------------
    def open(self) -> None:
        super().open()
        if self.path.is_dir():
            self._load_dumpsys_quietly()
            return
        archive_path = self.path
        if is_age_file(self.path):
            archive_path = self._decrypt_age()
        self._archive = Archive(archive_path)
        self._archive_path, self._archive_pid = archive_path, os.getpid()
        names = {m.name: m for m in self._archive.files()}
        prefix = _find_prefix(set(names), _archive_head(self._archive))
        if prefix is None:
            raise EvidenceError(tr('%(self)s does not look like an androidqf acquisition (no packages.json, '
                                   'getprop.txt, dumpsys.txt... inside)', self=self.path.name))
        self._prefix = prefix
        self._members = {n[len(prefix):]: m for n, m in names.items() if n.startswith(prefix)}
        self._load_dumpsys_quietly()

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def _own_archive(self) -> Archive:
        """The archive reader of this process.

        Artifact workers are forked: a reader inherited from the parent shares its file offset with
        every other worker, so each process opens its own.
        """
        assert self._archive is not None and self._archive_path is not None
        if self._archive_pid != os.getpid():
            self._archive = Archive(self._archive_path)
            self._archive_pid = os.getpid()
        return self._archive

    def _decrypt_age(self) -> Path:
        dest = self.workdir / "decrypted-acquisition.zip"
        kinds = header_recipient_types(self.path)
        if "scrypt" in kinds:
            passphrase = self.secrets.password(AGE_PROMPT)
            decrypt_with_passphrase(self.path, dest, passphrase)
        elif self.secrets.identity is not None:
            decrypt_with_identity(self.path, dest, Path(self.secrets.identity))
        else:
            raise EvidenceError(tr('%(self)s is encrypted for an age identity (%(items)s); give the identity file '
                                   'with --identity FILE', self=self.path.name, items=', '.join(kinds)))
        dest.chmod(0o600)
        return dest

    def _load_dumpsys_quietly(self) -> None:
        """Split dumpsys.txt once in the parent so that forked artifact workers share the result.

        The device time zone is read here too, for the same reason.
        """
        with contextlib.suppress(ArtifactNotFound, EvidenceError, OSError):
            self.dumpsys_sections()
        self.device_clock()

    # -- listing ----------------------------------------------------------------------------------
    def list_files(self, under: str = "") -> list[str]:
        """Relative paths of every file of the acquisition (optionally only below folder ``under``)."""
        prefix = under.strip("/") + "/" if under.strip("/") else ""
        if self._archive is not None:
            return sorted(n for n in self._members if n.startswith(prefix))
        root = self.path
        base = root / prefix if prefix else root
        if not base.is_dir():
            return []
        found = []
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                full = Path(dirpath) / name
                if full.is_symlink():
                    continue
                found.append(full.relative_to(root).as_posix())
        return sorted(found)

    def member_mtime(self, rel: str) -> float | None:
        """Modification time stored for ``rel`` (archive entry time, or the file's mtime)."""
        if self._archive is not None:
            member = self._members.get(rel)
            return member.mtime if member else None
        try:
            return (self.path / rel).stat().st_mtime
        except OSError:
            return None

    def member_size(self, rel: str) -> int | None:
        if self._archive is not None:
            member = self._members.get(rel)
            return member.size if member else None
        try:
            return (self.path / rel).stat().st_size
        except OSError:
            return None

    # -- access -------------------------------------------------------------------------------------
    def resolve(self, rel: str) -> Path:
        if self._archive is None:
            return super().resolve(rel)
        rel = rel.strip("/")
        if rel not in self._members:
            raise ArtifactNotFound(rel)
        with self._lock:
            cached = self._extracted.get(rel)
            if cached is not None and cached.is_file():
                return cached
            target_root = self.workdir / "extracted"
            dest = target_root / rel
            if not dest.is_file():
                target_root.mkdir(mode=0o700, exist_ok=True)
                # extract to a private temporary folder, then move into place atomically
                # (forked workers may ask for the same member at the same time)
                tmp_root = Path(tempfile.mkdtemp(dir=self.workdir, prefix="extract-"))
                try:
                    tmp, size, digest = self._own_archive().extract(self._prefix + rel, tmp_root)
                    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                    os.replace(tmp, dest)
                finally:
                    import shutil

                    shutil.rmtree(tmp_root, ignore_errors=True)
                self.inputs.add(InputFile(path=rel, size=size, sha256=digest))
            self._extracted[rel] = dest
            return dest

    def device_clock(self) -> DeviceClock:
        """The device time zone from ``persist.sys.timezone`` in getprop.txt (read once)."""
        if self._clock is None:
            name: str | None = None
            with contextlib.suppress(ArtifactNotFound, EvidenceError, OSError):
                if self.exists(GETPROP_FILE):
                    text = self.read_bytes(GETPROP_FILE).decode("utf-8", errors="replace")
                    name = timezone_property(text.splitlines())
            self._clock = DeviceClock.from_name(name)
        return self._clock

    def dumpsys_sections(self) -> dict[str, DumpsysSection]:
        if self._dumpsys is None:
            path = self.resolve(DUMPSYS_FILE)  # a zip member is extracted (and hashed) into the work folder
            if self._archive is None:  # a folder's file is read in place: hash it for the custody log
                size, digest = sha256_file(path)
                self.inputs.add(InputFile(path=DUMPSYS_FILE, size=size, sha256=digest))
            self._dumpsys = split_dumpsys_file(path, DUMPSYS_FILE)
        return self._dumpsys

    # -- the same data in nested inputs ----------------------------------------------------------------
    HOLDING_FILES = {
        "getprop": (GETPROP_FILE,),
        "processes": ("processes.txt", "processes.json", "ps.txt"),
        "mounts": ("mounts.json", "mounts.txt", "mount.txt", "proc_mounts.txt"),
        "settings": ("settings_global.txt", "settings_secure.txt", "settings_system.txt"),
    }

    def holds(self, data: str) -> bool:
        """The acquisition's own files hold ``data``: then the nested bugreport's copy is not read again.

        androidqf's files win over the bugreport's: they are the acquisition's key files, and its
        process list names processes in full (the bugreport's lists threads by 15-character names).
        A dumpsys service counts as held only when ``dumpsys.txt`` has a non-empty section for it (a
        service that timed out there is read from the bugreport).
        """
        if data.startswith("dumpsys:"):
            if not self.member_size(DUMPSYS_FILE):
                return False
            section = self.dumpsys_sections().get(data.partition(":")[2])
            return section is not None and not section.blank
        files = self.HOLDING_FILES.get(data, ())
        return any((self.member_size(name) or 0) > 0 for name in files)

    # -- nested acquisitions ---------------------------------------------------------------------------
    def children(self) -> list[tuple[str, Path]]:
        from spyscan.kinds import all_kinds

        known = all_kinds()
        found: list[tuple[str, Path]] = []
        for kind, name in NESTED:
            if kind in known and self.exists(name):
                found.append((kind, self.resolve(name)))
        if "intrusion-logs" in known:
            for folder in INTRUSION_DIRS:
                files = self.list_files(folder)
                if not files:
                    continue
                if self._archive is None:
                    found.append(("intrusion-logs", self.path / folder))
                else:
                    for rel in files:
                        self.resolve(rel)
                    found.append(("intrusion-logs", self.workdir / "extracted" / folder))
        return found

    def missing_files(self) -> list[str]:
        """The files every androidqf release writes that this acquisition lacks (empty for a whole one)."""
        return [" / ".join(group) for group in EXPECTED if not any(self.member_size(name) is not None
                                                                     for name in group)]

    def device_info(self) -> DeviceFacts:
        facts = DeviceFacts(platform="android", encrypted=self.path.is_file() and is_age_file(self.path))
        missing = self.missing_files()
        if missing:
            facts.details["acquisition files missing"] = ", ".join(missing)
        try:
            from spyscan.artifacts.android.androidqf_getprop import acquisition_date, read_properties

            acquired = acquisition_date(self)
            if acquired is not None:
                facts.acquired = acquired.isoformat().replace("+00:00", "Z")
            props = read_properties(self)
        except (ArtifactNotFound, EvidenceError, OSError, ValueError):
            return facts
        return android_facts(props, facts)
