"""Custody hashes: SHA-256 of every input file read during a run."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import BinaryIO

import msgspec

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


def sha256_stream(stream: BinaryIO, sink: BinaryIO | None = None) -> tuple[int, str]:
    """Hash a stream (optionally copying it to ``sink``); returns ``(size, hexdigest)``."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return size, digest.hexdigest()


def sha256_file(path: Path) -> tuple[int, str]:
    with path.open("rb") as fh:
        return sha256_stream(fh)
