"""NSKeyedArchiver archives: a bounded check of the object graph before any decoder resolves it.

An archive is a plist ``{"$archiver": "NSKeyedArchiver", "$objects": [...], "$top": {name: UID}}`` whose
objects refer to each other by ``UID`` (an index into ``$objects``). Decoders that resolve the references
into nested values (``nska-deserialize``, used for the backup's ``MBFile`` blobs) recurse along them:
``nska-deserialize`` 1.5.1 skips a reference to an object already on its current path (so a cycle ends),
but it expands an object once per path that reaches it (a chain of objects each referring twice to the
next is 2^n work) and recurses once per level (a deep chain raises ``RecursionError``; its cycle list is
a module global that an exception leaves dirty for the next archive).

``check_archive`` walks the same graph without recursion and refuses, before decoding, an archive with
more than ``max_objects`` objects, a reference outside ``$objects``, a reference cycle, references nested
deeper than ``max_depth``, or an expansion (every path counted) larger than ``max_expanded``. The archive
must already have been read with the bounded plist reader (``spyscan.evidence.plist``).
"""

from __future__ import annotations

import plistlib
from dataclasses import dataclass
from typing import Any

from spyscan.evidence.plist_bounds import PlistError, PlistLimitError
from spyscan.texts import tr

_UNSEEN, _OPEN, _DONE = 0, 1, 2


@dataclass(frozen=True)
class ArchiveLimits:
    max_objects: int = 100_000
    max_depth: int = 64  # references followed from a root (real archives: under 20)
    max_expanded: int = 1_000_000  # objects visited when every path is expanded, as decoders do


def _references(value: Any, count: int) -> list[int]:
    """The object indexes ``value`` refers to (its nested lists and dictionaries included)."""
    found: list[int] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, plistlib.UID):
            if item.data >= count:
                raise PlistError(tr('NSKeyedArchiver archive refers to object %(ref)s of %(count)s', ref=item.data,
                                    count=count))
            found.append(item.data)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


DEFAULT_ARCHIVE_LIMITS = ArchiveLimits()


def check_archive(top: Any, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS) -> None:
    """Raise ``PlistError`` (not an archive, a reference outside it or a cycle) or ``PlistLimitError``
    (past a limit) when decoding ``top`` could loop, recurse too deep or expand too much."""
    objects = top.get("$objects") if isinstance(top, dict) else None
    roots = top.get("$top") if isinstance(top, dict) else None
    if not isinstance(objects, list) or not isinstance(roots, dict):
        raise PlistError(tr('not an NSKeyedArchiver archive ($objects / $top missing)'))
    count = len(objects)
    if count > limits.max_objects:
        raise PlistLimitError(tr('NSKeyedArchiver archive has %(count)s objects (limit %(max_objects)s)', count=count,
                                 max_objects=limits.max_objects))
    state = bytearray(count)
    size = [0] * count
    height = [0] * count
    total = 0
    for root in _references(list(roots.values()), count):
        if state[root] == _UNSEEN:
            _walk(root, objects, state, size, height, limits)
        total += size[root]
        if total > limits.max_expanded:
            raise PlistLimitError(tr('NSKeyedArchiver archive expands to more than %(max_expanded)s objects',
                                     max_expanded=limits.max_expanded))


def _walk(root: int, objects: list[Any], state: bytearray, size: list[int], height: list[int],
          limits: ArchiveLimits) -> None:
    count = len(objects)
    state[root] = _OPEN
    stack: list[tuple[int, list[int], int]] = [(root, _references(objects[root], count), 0)]
    while stack:
        node, children, index = stack[-1]
        if index < len(children):
            stack[-1] = (node, children, index + 1)
            child = children[index]
            if state[child] == _OPEN:
                raise PlistError(tr('NSKeyedArchiver archive object %(child)s refers back to itself (a cycle)',
                                    child=child))
            if state[child] == _DONE:
                if len(stack) + height[child] > limits.max_depth:
                    raise PlistLimitError(tr('NSKeyedArchiver references nest deeper than %(max_depth)s',
                                             max_depth=limits.max_depth))
                continue
            if len(stack) >= limits.max_depth:
                raise PlistLimitError(tr('NSKeyedArchiver references nest deeper than %(max_depth)s',
                                         max_depth=limits.max_depth))
            state[child] = _OPEN
            stack.append((child, _references(objects[child], count), 0))
            continue
        total = 1
        for child in children:
            total += size[child]
            if total > limits.max_expanded:
                raise PlistLimitError(tr('NSKeyedArchiver archive expands to more than %(max_expanded)s objects',
                                         max_expanded=limits.max_expanded))
        size[node] = total
        height[node] = 1 + max((height[c] for c in children), default=0)
        state[node] = _DONE
        stack.pop()
