"""One walk of a filesystem-like input, shared by every artifact.

A full filesystem dump can hold millions of entries, so the listing is not kept in memory: it is
written once (at ``open()``) into a private SQLite database in the run's work folder, indexed by path
and by base name. Artifacts query it with segment-aware globs (``*`` never crosses ``/``; a ``**``
segment spans any number of folders) or stream it whole.

Two producers fill it, each in a single pass:

* ``walk_folder``: ``os.scandir`` without ever following symbolic links (a link is listed as a link,
  never entered, never read);
* ``walk_tar``: one streaming pass over a tar (plain, gzip, bzip2, xz) with ``tarfile``'s stream
  mode. Member names are checked with ``archive.safe_name`` (an unsafe name refuses the input), member
  counts are bounded with ``ArchiveLimits`` and sizes with the same ``archive.ExpansionBudget`` as zip
  members (per member, sparse members' holes, in total, and against the archive's own size, counted
  across the whole tar before any member is copied). Members that a caller ``wants`` are copied into
  the work folder during that same pass (hashed while copied, under ``diskspace.SpaceGuard``), so that
  a compressed dump is never decompressed twice for the files artifacts are known to read.

A member nobody declared is fetched later with ``extract_member``: one sequential pass from the start of
the tar that stops at that member (never a full listing again, never a backwards seek that would restart
the decompression), written atomically to a location shared by every worker process so that it is
decompressed once per run, whichever worker asks first.

A path listed twice in a tar is resolved as ``tar`` extracts it, the last member wins: ``get`` returns
the last row, a wanted member copied twice keeps the last copy, and ``extract_member`` is given the
position of that last member (``member_index``) so that it stops at it, not at the first of that name.

Each worker process opens its own read-only connection (the engine forks after ``open()``).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import stat
import tarfile
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import msgspec

from spyscan.errors import EvidenceError
from spyscan.evidence.archive import CHUNK, ArchiveLimits, ExpansionBudget, one_line, safe_name, tar_stored_bytes
from spyscan.evidence.diskspace import SpaceGuard, ensure_room, writing
from spyscan.evidence.sqlite_guard import ensure_temp_folder
from spyscan.texts import tr

FILE, DIR, LINK, OTHER = "f", "d", "l", "o"
_BATCH = 20_000
_TOP = "\U0010ffff"
_COLUMNS = "path, name, type, size, mode, mtime, atime, ctime, birth, link, member"


class FsEntry(msgspec.Struct, frozen=True):
    """One entry of the listing (times are POSIX seconds, None when the source has none)."""

    path: str  # relative POSIX path inside the input, never with a leading slash
    name: str
    type: str  # FILE, DIR, LINK or OTHER
    size: int = 0
    mode: int | None = None
    mtime: float | None = None
    atime: float | None = None
    ctime: float | None = None
    birth: float | None = None
    link: str | None = None  # link target (never followed)
    member: int | None = None  # position of this member in a tar (0 = first header), None for folders

    @property
    def is_file(self) -> bool:
        return self.type == FILE


class Extracted(msgspec.Struct, frozen=True):
    """A member copied into the work folder during the walk."""

    local: str
    size: int
    sha256: str


# -- globs ----------------------------------------------------------------------------------
_WILD = re.compile(r"[*?\[]")


@lru_cache(maxsize=4096)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Compile a segment-aware glob: ``*``/``?``/``[..]`` stay inside one segment, ``**`` spans folders."""
    out: list[str] = []
    segments = pattern.strip("/").split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            out.append(".*" if last else "(?:[^/]+/)*")
            continue
        out.append(_segment_regex(segment))
        if not last:
            out.append("/")
    return re.compile("".join(out), re.DOTALL)


def _segment_regex(segment: str) -> str:
    parts: list[str] = []
    i = 0
    while i < len(segment):
        ch = segment[i]
        if ch == "*":
            parts.append("[^/]*")
        elif ch == "?":
            parts.append("[^/]")
        elif ch == "[":
            end = segment.find("]", i + 2)
            if end == -1:
                parts.append(re.escape(ch))
            else:
                body = segment[i + 1:end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                parts.append("[" + body.replace("\\", "\\\\").replace("/", "") + "]")
                i = end
        else:
            parts.append(re.escape(ch))
        i += 1
    return "".join(parts)


def literal_prefix(pattern: str) -> str:
    match = _WILD.search(pattern)
    return pattern if match is None else pattern[: match.start()]


def has_wildcard(pattern: str) -> bool:
    return _WILD.search(pattern) is not None


# -- the listing ----------------------------------------------------------------------------
class FsListing:
    """The listing database of one input; query it from any process."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self.extracted: dict[str, Extracted] = {}
        self.skipped = 0  # entries that could not be listed (permissions, races)

    # writing -------------------------------------------------------------------------------
    def _create(self) -> sqlite3.Connection:
        self.db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.db_path.unlink(missing_ok=True)
        ensure_temp_folder(self.db_path.parent)  # the index sorts spill there, never to the system's
        conn = sqlite3.connect(str(self.db_path))
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute(
            "CREATE TABLE entries (path TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, "
            "size INTEGER, mode INTEGER, mtime REAL, atime REAL, ctime REAL, birth REAL, link TEXT, member INTEGER)"
        )
        return conn

    def _fill(self, entries: Iterable[FsEntry]) -> int:
        conn = self._create()
        count = 0
        batch: list[tuple[object, ...]] = []
        sql = f"INSERT INTO entries ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
        folder = self.db_path.parent
        try:
            with writing("the file listing"):
                for entry in entries:
                    batch.append((entry.path, entry.name, entry.type, entry.size, entry.mode, entry.mtime,
                                  entry.atime, entry.ctime, entry.birth, entry.link, entry.member))
                    count += 1
                    if len(batch) >= _BATCH:
                        ensure_room(folder, "the file listing")
                        conn.executemany(sql, batch)
                        batch.clear()
                conn.executemany(sql, batch)
            # indexes built after the bulk load (one sort each, much faster than keeping them during it);
            # a path listed twice in a tar keeps both rows, ``get`` returns the last one written
                ensure_room(folder, "the file listing")
                conn.execute("CREATE INDEX entries_path ON entries(path)")
                conn.execute("CREATE INDEX entries_name ON entries(name)")
                conn.commit()
        finally:
            conn.close()
        return count

    def walk_folder(self, root: Path) -> int:
        """List every entry under ``root`` (links listed, never followed); returns the count."""
        return self._fill(self._scan(root))

    def _scan(self, root: Path) -> Iterator[FsEntry]:
        stack: list[tuple[str, str]] = [(str(root), "")]
        while stack:
            folder, rel = stack.pop()
            try:
                with os.scandir(folder) as it:
                    items = list(it)
            except OSError:
                self.skipped += 1
                continue
            for item in items:
                path = f"{rel}/{item.name}" if rel else item.name
                try:
                    st = item.stat(follow_symlinks=False)
                except OSError:
                    self.skipped += 1
                    continue
                link = None
                if stat.S_ISLNK(st.st_mode):
                    kind = LINK
                    try:
                        link = os.readlink(item.path)
                    except OSError:
                        link = None
                elif stat.S_ISDIR(st.st_mode):
                    kind = DIR
                    stack.append((item.path, path))
                elif stat.S_ISREG(st.st_mode):
                    kind = FILE
                else:
                    kind = OTHER
                yield FsEntry(path=path, name=item.name, type=kind, size=st.st_size if kind == FILE else 0,
                              mode=stat.S_IMODE(st.st_mode), mtime=st.st_mtime, atime=st.st_atime,
                              ctime=st.st_ctime, birth=getattr(st, "st_birthtime", None), link=link)

    def walk_tar(self, archive: Path, extract_to: Path, wants: Callable[[str], bool],
                 limits: ArchiveLimits | None = None) -> int:
        """One streaming pass over a tar: list every member, copy the wanted ones to ``extract_to``."""
        limits = limits or ArchiveLimits()
        try:
            return self._fill(self._tar_entries(archive, extract_to, wants, limits))
        except EvidenceError as exc:
            if archive.name in str(exc):
                raise
            raise _naming(archive, exc) from exc
        except (OSError, tarfile.TarError, EOFError, UnicodeError) as exc:
            raise EvidenceError(tr('%(archive)s cannot be read as a tar archive: %(error)s', archive=archive.name,
                                   error=one_line(exc))) from exc

    def _tar_entries(self, archive: Path, extract_to: Path, wants: Callable[[str], bool],
                     limits: ArchiveLimits) -> Iterator[FsEntry]:
        budget = ExpansionBudget(archive, limits)
        count = 0
        position = -1
        # Sequential reading through ``next()`` (not the stream mode, whose buffer handling is slow on
        # highly compressible data), forgetting each member once listed so memory stays flat.
        with tarfile.open(str(archive), mode="r:*") as tar:
            while (info := tar.next()) is not None:
                position += 1
                tar.members.clear()  # type: ignore[attr-defined]
                name = safe_name(info.name)
                if not name:
                    continue
                count += 1
                if count > limits.max_members:
                    raise EvidenceError(tr('%(archive)s has more than %(max_members)s members; refused (raise '
                                           'SPYSCAN_MAX_MEMBERS if this is expected)', archive=archive.name,
                                           max_members=limits.max_members))
                if info.isfile():
                    stored = tar_stored_bytes(info)
                    budget.add(name, info.size, stored, sparse=stored is not None)
                    kind = FILE
                    if wants(name):
                        self._copy_member(tar, info, name, extract_to)
                elif info.isdir():
                    kind = DIR
                elif info.issym() or info.islnk():
                    kind = LINK
                else:
                    kind = OTHER
                pax = info.pax_headers or {}
                yield FsEntry(path=name, name=name.rsplit("/", 1)[-1], type=kind,  # mode: S_IMODE without its C range
                              size=info.size if kind == FILE else 0, mode=info.mode & 0o7777,  # (a tar mode may be < 0)
                              mtime=float(info.mtime), atime=_pax_time(pax.get("atime")),
                              ctime=_pax_time(pax.get("ctime")),
                              birth=_pax_time(pax.get("LIBARCHIVE.creationtime")),
                              link=info.linkname if kind == LINK else None, member=position)

    def _copy_member(self, tar: tarfile.TarFile, info: tarfile.TarInfo, name: str, extract_to: Path) -> None:
        done = copy_member(tar, info, name, extract_to)
        if done is not None:
            self.extracted[name] = done

    # reading -------------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            self._conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._conn

    def _select(self, where: str, params: tuple[object, ...]) -> Iterator[FsEntry]:
        cursor = self._db().execute(f"SELECT {_COLUMNS} FROM entries {where}", params)
        for row in cursor:
            yield FsEntry(*row)

    def get(self, path: str) -> FsEntry | None:
        for entry in self._select("WHERE path = ? ORDER BY rowid DESC LIMIT 1", (path,)):
            return entry
        return None

    def member_index(self, path: str) -> int | None:
        """Position in the tar of the member ``get(path)`` describes (the last of that name)."""
        entry = self.get(path)
        return None if entry is None else entry.member

    def count(self) -> int:
        row = self._db().execute("SELECT count(*) FROM entries").fetchone()
        return int(row[0])

    def all(self) -> Iterator[FsEntry]:
        """Every entry, sorted by path (streamed)."""
        yield from self._select("ORDER BY path", ())

    def under(self, prefix: str) -> Iterator[FsEntry]:
        """Entries whose path starts with ``prefix`` (a plain string prefix)."""
        yield from self._select("WHERE path >= ? AND path < ? ORDER BY path", (prefix, prefix + _TOP))

    def named(self, name: str) -> Iterator[FsEntry]:
        yield from self._select("WHERE name = ? ORDER BY path", (name,))

    def newest_mtime(self, not_after: float) -> float | None:
        """The newest modification time of a file, ignoring times after ``not_after`` (clocks set ahead)."""
        row = self._db().execute("SELECT max(mtime) FROM entries WHERE type = ? AND mtime <= ?",
                                 (FILE, not_after)).fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def count_named_prefix(self, prefix: str) -> int:
        """How many entries have a base name starting with ``prefix``."""
        row = self._db().execute("SELECT count(*) FROM entries WHERE name >= ? AND name < ?",
                                 (prefix, prefix + _TOP)).fetchone()
        return int(row[0])

    def name_starting(self, prefix: str) -> Iterator[FsEntry]:
        yield from self._select("WHERE name >= ? AND name < ? ORDER BY path", (prefix, prefix + _TOP))

    def find(self, pattern: str) -> Iterator[FsEntry]:
        """Entries matching the segment-aware glob ``pattern`` (relative, no leading slash)."""
        pattern = pattern.strip("/")
        regex = glob_regex(pattern)
        prefix = literal_prefix(pattern)
        last = pattern.rsplit("/", 1)[-1]
        if last != "**" and not has_wildcard(last):
            candidates = self.named(last)  # usually the most selective index
        elif prefix:
            candidates = self.under(prefix)
        elif last != "**" and literal_prefix(last):
            candidates = self.name_starting(literal_prefix(last))
        else:
            candidates = self.all()
        for entry in candidates:
            if regex.fullmatch(entry.path):
                yield entry

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None


def _naming(archive: Path, exc: EvidenceError) -> EvidenceError:
    """The refusal ``exc`` with the archive's name in front, of the same class (``DiskSpaceLow`` stays one);
    callers re-raise ``exc`` when it names it already."""
    return type(exc)(tr('%(archive)s: %(error)s', archive=archive.name, error=exc))


def copy_member(tar: tarfile.TarFile, info: tarfile.TarInfo, name: str, extract_to: Path) -> Extracted | None:
    """Copy one regular member to ``extract_to/name`` (hashed while copied, written atomically)."""
    root = extract_to.resolve()
    dest = (extract_to / name).resolve()
    if not dest.is_relative_to(root) or dest == root:
        raise EvidenceError(tr("archive member escaping the work folder refused: '%(name)s'", name=name))
    handle = tar.extractfile(info)
    if handle is None:
        return None
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    size = 0
    try:
        with writing(name), handle, partial.open("wb") as out:
            guard = SpaceGuard(out.fileno(), name, info.size)
            while chunk := handle.read(CHUNK):
                size += len(chunk)
                if size > info.size:
                    raise EvidenceError(tr('archive member %(name)s is longer than its header says', name=name))
                digest.update(chunk)
                out.write(chunk)
                guard.wrote(len(chunk))
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return Extracted(local=str(dest), size=size, sha256=digest.hexdigest())


def extract_member(archive: Path, name: str, extract_to: Path, limits: ArchiveLimits | None = None,
                   index: int | None = None) -> Path:
    """Copy the member ``name`` of a tar to ``extract_to/name`` in one forward pass.

    ``index`` is the member's position from the listing (``FsListing.member_index``): the pass stops
    there. Without it the pass reads the whole tar and keeps the last member of that name (as the
    listing does). A copy already made (by this or another worker process) is reused: a compressed tar
    is decompressed at most once per member asked for. Links and non-regular members are refused, and
    the member goes through the same ``ExpansionBudget`` checks as during the listing.
    """
    done = (extract_to / name).resolve()
    if done.is_relative_to(extract_to.resolve()) and done.is_file() and not done.is_symlink():
        return done
    limits = limits or ArchiveLimits()
    found: Path | None = None
    position = -1
    try:
        with tarfile.open(str(archive), mode="r:*") as tar:
            while (info := tar.next()) is not None:
                position += 1
                tar.members.clear()  # type: ignore[attr-defined]
                if index is not None and position < index:
                    continue
                if index is not None and position > index:
                    break
                if info.name.rstrip("/") != name and safe_name(info.name) != name:
                    continue
                if not info.isfile():
                    raise EvidenceError(tr('%(name)s is not a regular file in %(archive)s (links are never followed)',
                                           name=name, archive=archive.name))
                stored = tar_stored_bytes(info)
                ExpansionBudget(archive, limits).add(name, info.size, stored, sparse=stored is not None)
                copied = copy_member(tar, info, name, extract_to)
                found = None if copied is None else Path(copied.local)
                if index is not None:
                    break
        if found is not None:
            return found
    except EvidenceError as exc:
        if archive.name in str(exc):
            raise
        raise _naming(archive, exc) from exc
    except (OSError, tarfile.TarError, EOFError, UnicodeError) as exc:
        raise EvidenceError(tr('%(archive)s: %(name)s cannot be read: %(error)s', archive=archive.name, name=name,
                               error=one_line(exc))) from exc
    raise EvidenceError(tr('%(name)s is not in %(archive)s', name=name, archive=archive.name))


def _pax_time(value: object) -> float | None:
    if value is None:
        return None
    try:
        return float(str(value))
    except ValueError:
        return None
