"""A hostile evidence for any kind: it answers every access method an artifact may call by serving the
file of one corruption variant for whatever was asked.

``hostile_evidence(kind_class, variant, files, root)`` builds an instance of a dynamic subclass of the
kind's own evidence class (so that ``isinstance`` checks in artifacts pass) whose access methods are
replaced. Methods this object cannot serve meaningfully (kind-specific parsed views such as
``events()``, ``system_properties()``, ``backup_entries()``) raise ``NotServed``; the corruption matrix
runs those artifacts on real evidence instead (``real_kinds.py``), other users skip them.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spyscan.evidence.android_dumpsys import DumpsysSection, split_dumpsys_bytes
from spyscan.evidence.base import Evidence
from spyscan.evidence.fs_listing import FsEntry
from spyscan.evidence.ios import IOSFile, IOSPath
from spyscan.evidence.sqlite import open_private_copy
from spyscan.report.runfile import ArtifactStatus

from .variants import VariantFiles, format_of

STATUSES = {"ok", "warning", "not_found", "error", "recovered", "truncated"}  # truncated: a budget skipped a part
# Python errors that mean "the parser tripped over the data" rather than "the input is unreadable"
CRASH_TYPES = ("AttributeError", "TypeError", "KeyError", "IndexError", "ValueError", "UnboundLocalError",
               "AssertionError", "RecursionError", "ZeroDivisionError", "OverflowError", "UnicodeDecodeError",
               "UnicodeEncodeError", "StopIteration", "DatabaseError", "OperationalError", "InterfaceError",
               "InvalidFileException", "ExpatError", "DecodeError", "ValidationError")

NOT_SERVED = ("events", "system_properties", "backup_entries", "files", "fs_files")
NOT_SERVED_ATTRIBUTES = ("listing", "session", "reader")  # parsed views artifacts may use directly


class NotServed(Exception):
    """The hostile evidence cannot serve this kind-specific method."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _concrete(pattern: str) -> str:
    """A file name matching a glob pattern (``*`` -> ``x``, classes -> their first character)."""
    name = re.sub(r"\[!?([^\]])[^\]]*\]", r"\1", pattern)
    return name.replace("**/", "").replace("*", "x").replace("?", "x")


class _AnySections(dict[str, DumpsysSection]):
    """A dumpsys section for every service name asked for, all holding the variant text."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self._make = make

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str)

    def __getitem__(self, key: str) -> DumpsysSection:
        return self._make(key)

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return self._make(key)

    def __bool__(self) -> bool:
        return True


class HostileMixin:
    variant: str
    variant_files: VariantFiles
    served_root: Path
    asked: list[str]
    served: dict[Path, str]

    # -- helpers --------------------------------------------------------------------------------
    def _bytes(self, name: str, as_sqlite: bool = False) -> bytes:
        self.asked.append(name)
        return self.variant_files.data(self.variant, format_of(name, as_sqlite))

    def _file(self, name: str, as_sqlite: bool = False) -> Path:
        """The variant written under ``name``'s basename in the served (evidence-like) folder."""
        base = Path(_concrete(name)).name or "file"
        folder = self.served_root / str(len(self.asked))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / base
        path.write_bytes(self._bytes(name, as_sqlite))
        self.served[path] = _sha256(path)
        if self.variant == "pending_wal" and format_of(name, as_sqlite) == "sqlite":
            wal = path.with_name(base + "-wal")
            wal.write_bytes(self.variant_files.wal())
            self.served[wal] = _sha256(wal)
        return path

    def served_changes(self) -> list[str]:
        """Served files (the 'evidence' of this object) that changed or vanished, and any new -shm."""
        changed = [str(p) for p, digest in self.served.items() if not p.is_file() or _sha256(p) != digest]
        shm = [str(p) for p in self.served_root.rglob("*-shm")] if self.served_root.exists() else []
        return changed + shm

    def _sqlite(self, name: str) -> sqlite3.Connection:
        assert isinstance(self, Evidence)
        return open_private_copy(self._file(name, as_sqlite=True), self.workdir, self.inputs, name)

    # -- Evidence -------------------------------------------------------------------------------
    def open(self) -> None:
        return None

    def close(self) -> None:
        return None

    def resolve(self, rel: str) -> Path:
        return self._file(rel)

    def exists(self, rel: str) -> bool:
        return True

    def read_bytes(self, rel: str, limit: int = 1 << 30) -> bytes:
        return self._bytes(rel)[:limit]

    def sqlite(self, rel: str) -> sqlite3.Connection:
        return self._sqlite(rel)

    def read_file(self, name: str, limit: int = 1 << 30) -> bytes:
        return self._bytes(name)[:limit]

    def list_files(self, under: str = "") -> list[str]:
        return []

    def member_mtime(self, rel: str) -> float | None:
        return None

    def member_size(self, rel: str) -> int | None:
        return len(self._bytes(rel))

    # -- dumpsys --------------------------------------------------------------------------------
    def dumpsys_sections(self) -> dict[str, DumpsysSection]:
        def make(name: str) -> DumpsysSection:
            text = f"DUMP OF SERVICE {name}:\n".encode() + self._bytes("dumpsys.txt")
            return split_dumpsys_bytes(text, "dumpsys.txt").get(name) or DumpsysSection(
                name=name, text="", first_line=1, file="dumpsys.txt")
        return _AnySections(make)

    # -- iOS ------------------------------------------------------------------------------------
    def ios_find(self, spec: IOSPath) -> list[IOSFile]:
        if spec.relative:
            rel = _concrete(spec.relative)
        elif spec.fs:
            rel = _concrete(spec.fs[0])
        else:
            return []
        domain = _concrete(spec.domain) if spec.domain else None
        label = f"{domain}/{rel}" if domain else rel
        return [IOSFile(label=label, handle=label, domain=domain, relative=rel, size=None)]

    def ios_read(self, file: IOSFile, limit: int = 1 << 30) -> bytes:
        return self._bytes(file.label)[:limit]

    def ios_sqlite(self, file: IOSFile) -> sqlite3.Connection:
        return self._sqlite(file.label)

    def device_path(self, entry_path: str) -> str:
        return entry_path

    def map_glob(self, pattern: str) -> list[str]:
        return [pattern.lstrip("/")]

    def entries(self, pattern: str) -> Iterator[FsEntry]:
        path = _concrete(pattern.lstrip("/"))
        if fnmatch.fnmatchcase(path, pattern.lstrip("/")):
            yield FsEntry(path=path, name=path.rsplit("/", 1)[-1], type="FILE", size=0)

    def read_entry(self, path: Any, limit: int = 1 << 30) -> bytes:
        return self._bytes(str(getattr(path, "name", path)))[:limit]


def _not_served(name: str) -> Any:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotServed(f"{type(self).__mro__[2].__name__}.{name}() is not served by the hostile evidence")
    return method


class _NotServedAttribute:
    """A kind's parsed view (``listing``, ``session``...): reading it raises NotServed, setting it is ignored."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        raise NotServed(f"{type(obj).__mro__[2].__name__}.{self.name} is not served by the hostile evidence")

    def __set__(self, obj: object, value: object) -> None:
        return None


_CLASSES: dict[type[Evidence], type[Evidence]] = {}


def hostile_class(kind_class: type[Evidence]) -> type[Evidence]:
    """The hostile subclass of ``kind_class``; its class-level ``kind`` is empty so that the kinds
    registry (``all_kinds``) never picks it up."""
    if kind_class not in _CLASSES:
        attrs: dict[str, Any] = {name: _not_served(name) for name in NOT_SERVED if hasattr(kind_class, name)}
        attrs.update({name: _NotServedAttribute() for name in NOT_SERVED_ATTRIBUTES})
        attrs["kind"] = ""
        _CLASSES[kind_class] = type(f"Hostile{kind_class.__name__}", (HostileMixin, kind_class), attrs)
    return _CLASSES[kind_class]


def hostile_evidence(kind_class: type[Evidence], variant: str, files: VariantFiles, root: Path) -> Evidence:
    cls = hostile_class(kind_class)
    workdir = root / "work"
    workdir.mkdir(parents=True, exist_ok=True)
    evidence = cls(root / "input", workdir)
    hostile: Any = evidence
    hostile.variant = variant
    hostile.variant_files = files
    hostile.served_root = root / "served"
    hostile.asked = []
    hostile.served = {}
    hostile.kind = kind_class.kind  # on the instance only
    return evidence


def check_status(where: str, status: ArtifactStatus, asked: list[str], skip_not_served: bool = True) -> None:
    """The matrix's rules for one outcome (see test_corruption_matrix). ``skip_not_served=False``: an
    artifact reading a view this object does not serve fails (the matrix serves those through real kinds)."""
    assert status.status in STATUSES, where
    for warning in status.warnings:
        assert "\n" not in warning, f"{where}: multi-line warning {warning!r}"
    if status.status == "error":
        error = status.error or ""
        assert error and "\n" not in error, f"{where}: empty or multi-line error {error!r}"
        if "NotServed" in error:
            assert skip_not_served, (f"{where}: reads through a kind-specific method ({error}); add a recipe "
                                     "for it in tests/robustness/real_kinds.py")
            pytest.skip(f"{where}: reads through a kind-specific method: {error}")
        names = {Path(a).name for a in asked} | set(asked)
        crash = error.split(":", 1)[0] in CRASH_TYPES
        names_file = any(name and name in error for name in names)
        assert names_file or not crash, f"{where}: the error does not name the file it failed on: {error}"
