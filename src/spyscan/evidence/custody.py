"""Custody hashes: SHA-256 of every input file read during a run."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import BinaryIO

import msgspec

from spyscan.evidence.diskspace import SpaceGuard, writing

CHUNK = 1 << 20


class InputFile(msgspec.Struct, frozen=True):
    path: str
    size: int
    sha256: str


class InputLog:
    """Collects ``InputFile`` entries; thread-safe, deduplicated by path."""

    def __init__(self) -> None:
        self._items: dict[str, InputFile] = {}
        self._lock = threading.Lock()

    def add(self, item: InputFile) -> None:
        with self._lock:
            self._items.setdefault(item.path, item)

    def extend(self, items: list[InputFile]) -> None:
        for item in items:
            self.add(item)

    def items(self) -> list[InputFile]:
        with self._lock:
            return sorted(self._items.values(), key=lambda i: i.path)

    def __contains__(self, path: str) -> bool:
        return path in self._items


def sha256_stream(stream: BinaryIO, sink: BinaryIO | None = None, what: str = "",
                  expected: int = 0) -> tuple[int, str]:
    """Hash a stream (optionally copying it to ``sink``); returns ``(size, hexdigest)``.

    A copy watches the free space of ``sink``'s disk (``diskspace.SpaceGuard``: ``expected`` bytes must
    fit before it starts, then a check every few MiB) and stops with ``DiskSpaceLow`` naming ``what``.
    """
    digest = hashlib.sha256()
    size = 0
    if sink is None:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        return size, digest.hexdigest()
    label = what or str(getattr(sink, "name", "a copy"))
    with writing(label):
        guard = SpaceGuard(sink.fileno(), label, expected)
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            sink.write(chunk)
            guard.wrote(len(chunk))
    return size, digest.hexdigest()


def sha256_file(path: Path) -> tuple[int, str]:
    with path.open("rb") as fh:
        return sha256_stream(fh)
