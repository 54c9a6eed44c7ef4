"""The file browser's limits: only the folders given with ``--root`` (default: the home folder).

Every path the browser sends is resolved (symbolic links followed, ``..`` removed) before it is
compared with the roots, so neither ``..`` nor a link leads outside them. Listing reads names and
types only, never content.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_ENTRIES = 1000  # entries listed per folder


class OutsideRoots(Exception):
    """The path is not inside an allowed folder (or does not exist)."""


@dataclass(frozen=True)
class Entry:
    name: str
    path: str
    folder: bool
    size: int | None


@dataclass(frozen=True)
class Listing:
    path: str
    parent: str | None  # None at a root
    entries: list[Entry]
    more: int  # entries not listed past MAX_ENTRIES


class Roots:
    def __init__(self, roots: tuple[Path, ...]) -> None:
        self.roots = tuple(Path(os.path.realpath(r)) for r in roots)

    def resolve(self, value: str) -> Path:
        """The real path of ``value`` when it exists inside a root; else ``OutsideRoots``."""
        if not value or "\x00" in value:
            raise OutsideRoots(value)
        path = Path(os.path.realpath(os.path.expanduser(value)))
        if not self._inside(path):
            raise OutsideRoots(value)
        if not path.exists():
            raise OutsideRoots(value)
        return path

    def _inside(self, path: Path) -> bool:
        return any(path == root or path.is_relative_to(root) for root in self.roots)

    def list(self, value: str) -> Listing:
        folder = self.resolve(value)
        if not folder.is_dir():
            raise OutsideRoots(value)
        entries: list[Entry] = []
        more = 0
        with os.scandir(folder) as it:
            items = sorted(it, key=lambda e: (not _is_dir(e), e.name.startswith("."), e.name.casefold()))
        for item in items:
            if item.is_symlink() and not self._inside(Path(os.path.realpath(item.path))):
                continue  # a link that leads out of the allowed folders is not shown
            if len(entries) >= MAX_ENTRIES:
                more += 1
                continue
            is_dir = _is_dir(item)
            try:
                size = None if is_dir else item.stat().st_size
            except OSError:
                size = None
            entries.append(Entry(name=item.name, path=os.path.join(folder, item.name), folder=is_dir, size=size))
        parent = None if folder in self.roots else str(folder.parent)
        return Listing(path=str(folder), parent=parent, entries=entries, more=more)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return stat.S_ISDIR(entry.stat().st_mode)  # follows links: a link to a folder browses like one
    except OSError:
        return False
