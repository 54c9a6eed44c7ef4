"""Genuine system processes whose names collide with indicator names (``data/system_processes.txt``).

A public indicator can carry the name of a real system process of another platform (Pegasus's
``gatekeeperd`` is an AOSP daemon), or a feed can list a system name by mistake. When a record shows the
process at the system location of that name, the hit is the genuine process: at most INFO, with the
reason shown. A look-alike name is not the system name (names are compared exactly, case kept).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources
from typing import NamedTuple


class SystemProcess(NamedTuple):
    platform: str
    name: str
    location: str
    source: str


@functools.cache
def system_processes() -> dict[str, tuple[SystemProcess, ...]]:
    """Name -> the system processes of that name (one per platform at most)."""
    text = resources.files("spyscan.detection").joinpath("data", "system_processes.txt").read_text(encoding="utf-8")
    found: dict[str, list[SystemProcess]] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        platform, name, location, source = line.split(None, 3)
        found.setdefault(name, []).append(SystemProcess(platform, name, location, source.strip()))
    return {name: tuple(items) for name, items in found.items()}


def _normal(path: str) -> str:
    path = path.strip()
    return path[len("/private"):] if path.startswith("/private/var/") else path


def system_collision(name: str, locations: Iterable[str]) -> SystemProcess | None:
    """The system process named ``name`` when one of ``locations`` (paths the record shows) is its system
    location; None otherwise (no such system name, or seen elsewhere, or no location shown)."""
    candidates = system_processes().get(name)
    if not candidates:
        return None
    seen = {_normal(p) for p in locations if p}
    return next((c for c in candidates if c.location in seen), None)
