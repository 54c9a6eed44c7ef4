"""Limits and errors of the bounded property-list reader (see ``spyscan.evidence.plist``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlistLimits:
    max_depth: int = 200  # real plists nest under 30 levels; 200 keeps any recursive walker far from Python's limit
    max_objects: int = 2_000_000  # values, counted as a tree (a 64 MiB plist of tiny values stays within)


DEFAULT_LIMITS = PlistLimits()


class PlistError(ValueError):
    """Not a readable property list (one-line message)."""


class PlistLimitError(PlistError):
    """A property list past one of the reader's limits (depth, object count)."""
