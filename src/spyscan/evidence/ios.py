"""What iOS artifacts need from an iOS input, whatever its form (backup, filesystem dump, sysdiagnose).

An artifact describes the file it reads once, as an ``IOSPath``: its backup domain and relative path
(glob patterns allowed in both) and its location(s) in a filesystem dump (globs relative to the dump
root, without a leading slash). Each iOS evidence kind implements ``IOSSource`` and resolves the
description to the files it holds.
"""

from __future__ import annotations

import sqlite3
from typing import Protocol, runtime_checkable

import msgspec


class IOSPath(msgspec.Struct, frozen=True, kw_only=True):
    domain: str | None = None  # backup domain, e.g. "HomeDomain", "AppDomain-net.whatsapp.WhatsApp" (glob ok)
    relative: str | None = None  # path inside the domain, e.g. "Library/Safari/History.db" (glob ok)
    fs: tuple[str, ...] = ()  # filesystem-dump globs, e.g. ("private/var/mobile/Library/Safari/History.db",)


class IOSFile(msgspec.Struct, frozen=True, kw_only=True):
    """One file found for an ``IOSPath``."""

    label: str  # stable, human reference used in records' SourceRef.file ("HomeDomain/Library/..." or dump path)
    handle: str  # opaque to artifacts: what the source needs to open it again
    domain: str | None = None
    relative: str | None = None
    size: int | None = None


@runtime_checkable
class IOSSource(Protocol):
    def ios_find(self, spec: IOSPath) -> list[IOSFile]:
        """Every file matching ``spec`` (empty list when none), in a stable order."""
        ...

    def ios_read(self, file: IOSFile, limit: int = ...) -> bytes:
        """The file's bytes (decrypted where needed); hashed into the custody log."""
        ...

    def ios_sqlite(self, file: IOSFile) -> sqlite3.Connection:
        """A private read-only copy of the database (with its -wal/-journal when the source has them)."""
        ...
