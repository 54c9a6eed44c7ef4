"""Free disk space: refuse a check that cannot fit, stop one before it fills a disk.

Crafted evidence can expand (a compressed archive, a sparse tar member, a SQLite query that spills to
temporary files) until a disk is full, and a full disk breaks more than spyscan. So:

``preflight(input_path, out, work)``
    Called by the engine before a check. Refuses (``DiskSpaceLow``, exit 1) when the output or the work
    folder has less free space than ``reserve() + estimate_bytes(input_path)``, the sum of both when
    they share a file system. The estimate is a lower bound of what the check will copy: a single-file
    input (archive, backup stream, encrypted file) at least its own size (decrypted, or its members
    read); a folder the sizes of its files that look like databases (``*.db``, ``*.sqlite``...,
    ``Manifest.db`` counted twice: the backup's index is copied for the session and for its artifact).
    Outputs (records, timeline) are usually 1 to 4 times the databases read: the same estimate is asked
    of the output folder, and the guards below cover the rest. Preflight also sends SQLite's own
    temporary files of this process into ``work`` (``sqlite_guard.use_temp_folder``).
``SpaceGuard(fd, what)``
    For the evidence layer's own writes (private SQLite copies, extracted archive members, decrypted
    files): ``wrote(n)`` re-checks the free space of the file system holding ``fd`` every
    ``CHECK_EVERY`` bytes (more often as the room above the reserve shrinks) and raises
    ``DiskSpaceLow`` when less than ``reserve()`` would be left, so the disk keeps room for the
    outputs and for everything else on the machine. ``ensure_room`` is the same check for writers
    that are not streams (the file listing, a salvaged database, SQLite's temporary files).
``writing(what)``
    Turns a write's ``ENOSPC``/``EDQUOT``/``EFBIG`` into the same one-line ``DiskSpaceLow``.

``SPYSCAN_DISK_RESERVE_BYTES`` sets the reserve (default 256 MiB). ``free_bytes`` is the only probe
(tests replace it).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from spyscan.errors import EvidenceError
from spyscan.texts import tr

DEFAULT_RESERVE = 256 << 20
CHECK_EVERY = 8 << 20  # bytes written between two checks of the free space (at most)
MIN_STEP = 64 << 10
DB_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".sqlitedb", ".storedata", ".db-wal", ".sqlite-wal",
               ".sqlitedb-wal", ".storedata-wal")
MAX_WALK = 500_000  # entries looked at by the estimate of a folder (it is a lower bound past that)
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


class DiskSpaceLow(EvidenceError):
    """Not enough free space to start, or free space ran low while writing (exit status 1)."""


def reserve() -> int:
    raw = os.environ.get("SPYSCAN_DISK_RESERVE_BYTES", "")
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_RESERVE
    return value if value >= 0 else DEFAULT_RESERVE


def free_bytes(path: Path | int) -> int:
    """Bytes available to this user on the file system of ``path`` (a folder, a file or an open fd)."""
    st = os.fstatvfs(path) if isinstance(path, int) else os.statvfs(_existing(path))
    return st.f_bavail * st.f_frsize


def _existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return path


def mib(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB"


def low_message(what: str, free: int, keep: int) -> str:
    return (f"{what}: only {mib(free)} of disk space left (spyscan keeps {mib(keep)} free, "
            "SPYSCAN_DISK_RESERVE_BYTES); the check stopped before filling the disk")


def ensure_room(where: Path | int, what: str, upcoming: int = 0) -> int:
    """Raise ``DiskSpaceLow`` unless ``upcoming`` bytes fit on ``where`` with the reserve left free.

    Returns the bytes that may still be written before the reserve is reached."""
    keep = reserve()
    free = free_bytes(where)
    if free - upcoming < keep:
        if upcoming:
            raise DiskSpaceLow(tr('%(what)s: %(mib)s to write but only %(mib2)s of disk space left (spyscan keeps '
                                  '%(mib3)s free, SPYSCAN_DISK_RESERVE_BYTES); not written', what=what,
                                  mib=mib(upcoming), mib2=mib(free), mib3=mib(keep)))
        raise DiskSpaceLow(low_message(what, free, keep))
    return free - keep


class SpaceGuard:
    """Checks the free space of ``fd``'s file system while writing to it.

    The next check comes after ``CHECK_EVERY`` bytes, or after half of the room left above the reserve
    when that is less (at least ``MIN_STEP``), so a write never runs past the reserve by more than the
    last chunk, however small the disk."""

    def __init__(self, fd: int, what: str, expected: int = 0) -> None:
        self.fd = fd
        self.what = what
        self.pending = 0
        self.next_check = self._step(ensure_room(fd, what, expected))

    @staticmethod
    def _step(room: int) -> int:
        return max(MIN_STEP, min(CHECK_EVERY, room // 2))

    def wrote(self, n: int) -> None:
        self.pending += n
        if self.pending >= self.next_check:
            self.pending = 0
            self.next_check = self._step(ensure_room(self.fd, self.what))


@contextlib.contextmanager
def writing(what: str) -> Iterator[None]:
    """A full disk, quota or file size limit met while writing becomes ``DiskSpaceLow``."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _FULL:
            raise DiskSpaceLow(tr('%(what)s: the disk is full or a size limit was reached (%(strerror)s); the check '
                                  'stopped', what=what, strerror=exc.strerror)) from exc
        raise


class GuardedSink:
    """A writable file object that counts what goes through it (for libraries that write themselves)."""

    def __init__(self, sink: object, what: str) -> None:
        self.sink = sink
        fileno = getattr(sink, "fileno", None)
        self.guard = SpaceGuard(fileno(), what) if callable(fileno) else None

    def write(self, data: bytes) -> int:
        written: int = self.sink.write(data)  # type: ignore[attr-defined]
        if self.guard is not None:
            self.guard.wrote(len(data))
        return written

    def flush(self) -> None:
        flush = getattr(self.sink, "flush", None)
        if callable(flush):
            flush()


# --------------------------------------------------------------------------------------------
# before a check


def estimate_bytes(input_path: Path) -> int:
    """A lower bound of the bytes a check of ``input_path`` copies into its work folder."""
    try:
        if input_path.is_file():
            return input_path.stat().st_size
    except OSError:
        return 0
    if not input_path.is_dir():
        return 0
    total = 0
    seen = 0
    stack = [input_path]
    while stack and seen < MAX_WALK:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    seen += 1
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(Path(entry.path))
                        elif entry.is_file(follow_symlinks=False) and _looks_like_db(entry.name, folder,
                                                                                       input_path):
                            size = entry.stat(follow_symlinks=False).st_size
                            total += 2 * size if entry.name == "Manifest.db" else size
                    except OSError:
                        continue
        except OSError:
            continue
    return total


def _looks_like_db(name: str, folder: Path, root: Path) -> bool:
    lowered = name.lower()
    return lowered.endswith(DB_SUFFIXES) or (name == "Manifest.db" and folder == root)


def preflight(input_path: Path, out: Path, work: Path) -> None:
    """Refuse to start a check that cannot fit (see the module docstring); set SQLite's temp folder."""
    from spyscan.evidence.sqlite_guard import use_temp_folder

    need = estimate_bytes(input_path)
    keep = reserve()
    checks: dict[int, tuple[int, list[str], Path]] = {}
    for label, folder in (("output folder", out), ("work folder", work)):
        probe = _existing(folder)
        try:
            device = probe.stat().st_dev
        except OSError:
            continue
        needed, labels, _ = checks.get(device, (keep, [], probe))
        checks[device] = (needed + need, [*labels, f"{label} {folder}"], probe)
    for needed, labels, probe in checks.values():
        free = free_bytes(probe)
        if free < needed:
            places = labels[0] if len(labels) == 1 else tr("%(first)s and %(second)s", first=labels[0],
                                                            second=labels[1])
            raise DiskSpaceLow(tr("not enough free disk space for %(places)s: %(free)s free, about %(needed)s needed "
                                  "for %(input)s (its databases and archives, %(need)s, plus the %(keep)s spyscan "
                                  "keeps free, SPYSCAN_DISK_RESERVE_BYTES); free some space or choose other folders",
                                  places=places, free=mib(free), needed=mib(needed), input=input_path.name,
                                  need=mib(need), keep=mib(keep)))
    use_temp_folder(work)
