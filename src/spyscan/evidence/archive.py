"""Bounded, read-only access to zip and tar archives given as evidence.

Member names are checked before anything is read: absolute names, ``..`` components and names that
would land outside the target are refused (the whole input is refused with a clear error), links
are never followed or extracted, and sizes are bounded (per member, in total, by compression ratio
and by member count). Members are streamed; extraction writes only into the run's private folder.

Attacks handled (tested in ``tests/robustness/test_archive_attacks.py``): ``../`` and absolute member
names, Windows drive names, NUL bytes (the whole input is refused); symlinks and hardlinks (tar link
members, zip members with a symlink mode) are listed as links and never opened, followed or
extracted, and a member below a link is written as a plain folder inside the work folder; zip bombs
(per-member ratio, whole-archive ratio including overlapping-entry zips, total size); a zip's member
count is read from its end-of-central-directory record *before* its directory is parsed, so a
million-member zip is refused without building a million objects; nested archives are opened with
``open_nested`` up to ``max_depth``. Every limit can be set per call (``ArchiveLimits``) or with
the environment variables named below.

Zip and tar members get the same discipline, through one ``ExpansionBudget`` per input that counts
every member's declared (expanded) size across the whole archive, whether it is listed (``members``),
streamed (``fs_listing.walk_tar``) or extracted on demand: a member over ``max_member_size``; a member
whose expanded size is more than ``max_ratio`` times the bytes stored for it (a zip member's
compressed size; a sparse tar member's data blocks, its holes being free to declare); members
together over ``max_total_size``, or over ``max_ratio`` times the archive's own size (checked at each
member, before it is copied: a 3 MB ``.tar.gz`` cannot make the check write 3 GiB). Sizes below
``RATIO_FLOOR`` never count as a bomb. A name listed twice is resolved the same way everywhere: the
last member of that name wins (as ``tar`` and ``unzip`` extract it), in the listing, in ``open`` and
in every extraction. Extraction writes under ``diskspace.SpaceGuard`` (``DiskSpaceLow`` before the
disk is full).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import posixpath
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import msgspec

from spyscan.errors import EvidenceError
from spyscan.evidence.diskspace import SpaceGuard, writing
from spyscan.texts import tr

CHUNK = 1 << 20
RATIO_FLOOR = 1 << 20  # below this many bytes a high compression ratio is harmless
_READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError, zlib.error, RuntimeError,
                NotImplementedError, ValueError, IndexError, struct.error)


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class ArchiveLimits:
    max_member_size: int = int(_env_number("SPYSCAN_MAX_MEMBER_BYTES", 8 << 30))
    max_total_size: int = int(_env_number("SPYSCAN_MAX_ARCHIVE_BYTES", 64 << 30))
    max_ratio: float = _env_number("SPYSCAN_MAX_COMPRESSION_RATIO", 250)
    max_members: int = int(_env_number("SPYSCAN_MAX_MEMBERS", 2_000_000))
    max_depth: int = int(_env_number("SPYSCAN_MAX_NESTING", 3))


class ExpansionBudget:
    """The expansion limits of one archive input, counted across all of its members (see the docstring)."""

    def __init__(self, archive: Path, limits: ArchiveLimits, size: int | None = None) -> None:
        self.name = archive.name
        self.limits = limits
        if size is None:
            try:
                size = archive.stat().st_size
            except OSError:
                size = 0
        self.size = size
        self.total = 0

    def add(self, member: str, size: int, stored: int | None = None, sparse: bool = False) -> None:
        """Count one regular member of ``size`` expanded bytes (``stored`` bytes in the archive, if known)."""
        limits = self.limits
        if size > limits.max_member_size:
            raise EvidenceError(tr('%(self)s: member %(member)s is larger than the limit of %(max_member_size)s '
                                   'bytes (SPYSCAN_MAX_MEMBER_BYTES); refused', self=self.name, member=member,
                                   max_member_size=limits.max_member_size))
        if stored is not None and size > RATIO_FLOOR and size > limits.max_ratio * max(stored, 1):
            what = (tr("a sparse member whose holes expand") if sparse
                    else tr("a member with a compression ratio typical of a decompression bomb"))
            raise EvidenceError(tr('%(self)s: member %(member)s is %(what)s (%(stored)s bytes stored, %(size)s bytes '
                                   'once expanded; limit %(max_ratio)s times, SPYSCAN_MAX_COMPRESSION_RATIO); refused',
                                   self=self.name, member=member, what=what, stored=stored, size=size,
                                   max_ratio=format(limits.max_ratio, "g")))
        self.total += size
        if self.total > limits.max_total_size:
            raise EvidenceError(tr('%(self)s expands to more than %(max_total_size)s bytes '
                                   '(SPYSCAN_MAX_ARCHIVE_BYTES); refused', self=self.name,
                                   max_total_size=limits.max_total_size))
        if self.size and self.total > RATIO_FLOOR and self.total > limits.max_ratio * self.size:
            raise EvidenceError(tr('%(self)s (%(size)s bytes) expands to more than %(total)s bytes, over '
                                   '%(max_ratio)s times its size (SPYSCAN_MAX_COMPRESSION_RATIO): a compression '
                                   'ratio typical of a decompression bomb; refused', self=self.name, size=self.size,
                                   total=self.total, max_ratio=format(limits.max_ratio, "g")))


def tar_stored_bytes(info: tarfile.TarInfo) -> int | None:
    """Data bytes a sparse tar member really stores (None for a plain member: its size is what it stores)."""
    if not info.issparse():
        return None
    blocks = getattr(info, "sparse", None) or []
    return sum(int(length) for _offset, length in blocks)


class ArchiveMember(msgspec.Struct, frozen=True):
    name: str  # normalised relative POSIX path
    size: int
    compressed: int | None = None
    mtime: float | None = None
    is_dir: bool = False
    is_link: bool = False


def safe_name(raw: str) -> str:
    """Normalise a member name or raise EvidenceError when it could escape the target."""
    if _plain_name(raw):  # the common case, checked cheaply (listings of a million members)
        return raw.rstrip("/")
    name = raw.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise EvidenceError(tr("archive member with an absolute name refused: '%(raw)s'", raw=raw))
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise EvidenceError(tr("archive member escaping the archive refused: '%(raw)s'", raw=raw))
    if "\x00" in name:
        raise EvidenceError(tr("archive member with a NUL byte in its name refused: '%(raw)s'", raw=raw))
    return posixpath.join(*parts) if parts else ""


def _plain_name(raw: str) -> bool:
    """True for names that need no normalisation: relative, no ``.``/``..``/empty parts, no odd bytes."""
    return (bool(raw) and raw[0] not in "/." and "\\" not in raw and "\x00" not in raw and "//" not in raw
            and "/." not in raw and (len(raw) < 2 or raw[1] != ":"))


class _Bounded:
    """A reader that refuses to return more than ``limit`` bytes (decompression bombs)."""

    def __init__(self, raw: IO[bytes], limit: int, name: str) -> None:
        self.raw = raw
        self.limit = limit
        self.read_so_far = 0
        self.name = name

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:  # read all, chunk by chunk, stopping at the limit
            parts = []
            while chunk := self._read(CHUNK):
                parts.append(chunk)
            return b"".join(parts)
        return self._read(size)

    def _read(self, size: int) -> bytes:
        try:
            data = self.raw.read(min(size, self.limit - self.read_so_far + 1))
        except _READ_ERRORS as exc:
            raise EvidenceError(tr('archive member %(self)s is damaged: %(one_line)s', self=self.name,
                                   one_line=_one_line(exc))) from exc
        self.read_so_far += len(data)
        if self.read_so_far > self.limit:
            raise EvidenceError(tr('archive member %(self)s expands beyond its limit (%(limit)s bytes)',
                                   self=self.name, limit=self.limit))
        return data

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> _Bounded:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Archive:
    """A zip or tar (optionally gzip/bzip2/xz compressed) archive, read-only and bounded."""

    def __init__(self, path: Path, limits: ArchiveLimits | None = None, *, depth: int = 0) -> None:
        self.path = path
        self.limits = limits or ArchiveLimits()
        self.depth = depth
        if depth > self.limits.max_depth:
            raise EvidenceError(tr('%(path)s is nested %(depth)s archives deep, over the limit of %(max_depth)s '
                                   '(SPYSCAN_MAX_NESTING); refused', path=path.name, depth=depth,
                                   max_depth=self.limits.max_depth))
        self._zip: zipfile.ZipFile | None = None
        self._tar: tarfile.TarFile | None = None
        self._members: dict[str, ArchiveMember] | None = None
        self._tar_infos: dict[str, tarfile.TarInfo] = {}
        self._zip_names: dict[str, str] = {}
        self._sparse: dict[str, bool] = {}
        try:
            self.size = path.stat().st_size
        except OSError:
            self.size = 0
        try:
            if zipfile.is_zipfile(path):
                declared = zip_entry_count(path)
                if declared is not None and declared > self.limits.max_members:
                    raise EvidenceError(self._too_many())
                self._zip = zipfile.ZipFile(path)
            elif tarfile.is_tarfile(path):
                self._tar = tarfile.open(path, mode="r:*")  # noqa: SIM115 - closed in close()
            else:
                raise EvidenceError(tr('%(path)s is neither a zip nor a tar archive', path=path.name))
        except _READ_ERRORS as exc:
            raise EvidenceError(tr('%(path)s cannot be read as an archive: %(one_line)s', path=path.name,
                                   one_line=_one_line(exc))) from exc

    def _too_many(self) -> str:
        return (f"{self.path.name} has more than {self.limits.max_members} members; refused "
                "(raise SPYSCAN_MAX_MEMBERS if this is expected)")

    @staticmethod
    def is_archive(path: Path) -> bool:
        try:
            return path.is_file() and (zipfile.is_zipfile(path) or tarfile.is_tarfile(path))
        except OSError:
            return False

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._tar is not None:
            self._tar.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- listing ---------------------------------------------------------------------------
    def members(self) -> dict[str, ArchiveMember]:
        """All members by normalised name (validated once; unsafe names refuse the archive)."""
        if self._members is not None:
            return self._members
        found: dict[str, ArchiveMember] = {}
        limits = self.limits
        budget = ExpansionBudget(self.path, limits, self.size)
        try:
            for member in self._iter_raw():
                if len(found) >= limits.max_members:
                    raise EvidenceError(self._too_many())
                if not member.name:
                    continue
                if not member.is_dir and not member.is_link:
                    budget.add(member.name, member.size, member.compressed, self._sparse.get(member.name, False))
                found[member.name] = member  # a name listed twice: the last member wins, as in ``open``
        except EvidenceError as exc:
            message = str(exc)
            if not message.startswith(self.path.name):
                raise EvidenceError(tr('%(self)s: %(message)s', self=self.path.name, message=message)) from exc
            raise
        except _READ_ERRORS as exc:
            raise EvidenceError(tr('%(self)s is damaged: %(one_line)s', self=self.path.name,
                                   one_line=_one_line(exc))) from exc
        self._members = found
        return found

    def _iter_raw(self) -> Iterator[ArchiveMember]:
        if self._zip is not None:
            for zinfo in self._zip.infolist():
                name = safe_name(zinfo.filename)
                mode = (zinfo.external_attr >> 16) & 0xFFFF
                self._zip_names[name] = zinfo.filename
                yield ArchiveMember(name=name, size=zinfo.file_size, compressed=zinfo.compress_size,
                                    mtime=_zip_time(zinfo), is_dir=zinfo.filename.endswith("/"),
                                    is_link=stat.S_ISLNK(mode))
        elif self._tar is not None:
            for tinfo in self._tar:
                name = safe_name(tinfo.name)
                is_link = tinfo.issym() or tinfo.islnk()
                if not (tinfo.isfile() or tinfo.isdir() or is_link):
                    continue  # devices, fifos: never read
                self._tar_infos[name] = tinfo
                stored = tar_stored_bytes(tinfo)
                self._sparse[name] = stored is not None
                yield ArchiveMember(name=name, size=tinfo.size, compressed=stored, mtime=float(tinfo.mtime),
                                    is_dir=tinfo.isdir(), is_link=is_link)

    def files(self) -> list[ArchiveMember]:
        return [m for m in self.members().values() if not m.is_dir and not m.is_link]

    # -- reading ---------------------------------------------------------------------------
    def open(self, name: str) -> _Bounded:
        member = self.members().get(name)
        if member is None or member.is_dir:
            raise KeyError(name)
        if member.is_link:
            raise EvidenceError(tr('%(self)s: %(name)s is a link; links are never followed', self=self.path.name,
                                   name=name))
        limit = min(member.size, self.limits.max_member_size)
        try:
            if self._zip is not None:
                return _Bounded(self._zip.open(self._zip_names[name]), limit, name)
            assert self._tar is not None
            handle = self._tar.extractfile(self._tar_infos[name])
        except _READ_ERRORS as exc:
            raise EvidenceError(tr('%(self)s: member %(name)s cannot be read: %(one_line)s', self=self.path.name,
                                   name=name, one_line=_one_line(exc))) from exc
        if handle is None:
            raise KeyError(name)
        return _Bounded(handle, limit, name)

    def read(self, name: str) -> bytes:
        with self.open(name) as fh:
            return fh.read()

    def extract(self, name: str, target_root: Path) -> tuple[Path, int, str]:
        """Stream one member to ``target_root/name``; returns ``(path, size, sha256)``."""
        safe = safe_name(name)
        if not safe:
            raise KeyError(name)
        root = target_root.resolve()
        dest = (target_root / safe).resolve()
        if not dest.is_relative_to(root) or _has_link_below(root, safe):
            raise EvidenceError(tr("archive member escaping the work folder refused: '%(name)s'", name=name))
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        size = 0
        what = f"{self.path.name}: {name}"
        with writing(what), self.open(name) as src, dest.open("wb") as out:
            guard = SpaceGuard(out.fileno(), what, src.limit)
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
                guard.wrote(len(chunk))
        return dest, size, digest.hexdigest()


    def open_nested(self, name: str, workdir: Path) -> Archive:
        """Extract the archive member ``name`` into ``workdir`` and open it one level deeper."""
        if self.depth + 1 > self.limits.max_depth:
            raise EvidenceError(tr('%(self)s: %(name)s is nested more than %(max_depth)s archives deep '
                                   '(SPYSCAN_MAX_NESTING); refused', self=self.path.name, name=name,
                                   max_depth=self.limits.max_depth))
        dest, _size, _digest = self.extract(name, workdir)
        return Archive(dest, self.limits, depth=self.depth + 1)


def _has_link_below(root: Path, safe: str) -> bool:
    """True when an existing folder on the way from ``root`` to ``safe`` is a symlink."""
    current = root
    for part in safe.split("/")[:-1]:
        current = current / part
        if current.is_symlink():
            return True
        if not current.exists():
            return False
    return False


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (tarfile's "could not be opened" lists one line per method)."""
    return (" ".join(str(exc).split()) or type(exc).__name__)[:300]


_one_line = one_line


_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"


def zip_entry_count(path: Path) -> int | None:
    """Entries declared by a zip's end-of-central-directory record (zip64 aware), without parsing it."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            tail_len = min(size, 22 + 0xFFFF + 20)
            fh.seek(size - tail_len)
            tail = fh.read(tail_len)
            pos = tail.rfind(_EOCD)
            if pos < 0 or pos + 22 > len(tail):
                return None
            count = struct.unpack_from("<H", tail, pos + 10)[0]
            if count != 0xFFFF:
                return int(count)
            loc = pos - 20
            if loc < 0 or tail[loc:loc + 4] != _EOCD64_LOCATOR:
                return None
            offset = struct.unpack_from("<Q", tail, loc + 8)[0]
            if offset + 56 > size:
                return None
            fh.seek(offset)
            record = fh.read(56)
            if record[:4] != _EOCD64:
                return None
            return int(struct.unpack_from("<Q", record, 32)[0])
    except (OSError, struct.error):
        return None


def _zip_time(info: zipfile.ZipInfo) -> float | None:
    return _zip_timestamp(info.date_time)


@functools.lru_cache(maxsize=4096)
def _zip_timestamp(date_time: tuple[int, int, int, int, int, int]) -> float | None:
    try:
        return dt.datetime(*date_time, tzinfo=dt.UTC).timestamp()
    except ValueError:
        return None
