"""Process names in free-form diagnostic text, in the shapes iOS logs write them.

Shapes (each has a short id kept in the record):

* ``bracket``: ``locationd[123]`` (syslog style);
* ``paren``: ``SpringBoard(56)``;
* ``pid_paren``: ``123 (locationd)``;
* ``key``: ``process: name``, ``Process: name [pid]``, ``procName = name``, ``"process" : "name"``;
* ``path``: an absolute executable path under ``/usr``, ``/System``, ``/private/var``, ``/var``
  (``/var/containers``, ``/var/db``...), ``/Applications``, ``/Library``, ``/bin``, ``/sbin``,
  ``/Developer``, ``/private/preboot``: its base name is the process name. Paths to data files
  (``.plist``, ``.db``, ``.log``...) and folders are not processes and are ignored. A path written in
  another shape (``123 (/usr/libexec/x)``, ``process: /usr/libexec/x``) is found by this shape, so that
  each occurrence is counted once.

Every expression is linear (no nested repetition), starts with a literal and runs over a whole block of
lines at once (about 4 MiB), so the per-line cost stays in C.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

_NAME = r"[A-Za-z_][\w.+-]{0,79}"
_EMAN = r"[\w.+-]{0,79}[A-Za-z_]"  # the same name, written backwards
_PATH_ROOTS = r"(?:private/var|var|usr|System|Applications|Library|bin|sbin|Developer|private/preboot)"

# Every expression starts with a literal (the regex engine then skips quickly to candidate places) and
# checks its surroundings itself, so that Python only sees real hits. Shapes whose name comes before a
# literal (``name[pid]``, ``pid (name)``) are searched in the block written backwards, where the name
# follows the literal and "what comes before" becomes a plain look-ahead.
BRACKET_REVERSED = re.compile(rf"\]\d{{1,7}}\[({_EMAN})(?![\w./+-])")
PAREN_REVERSED = re.compile(rf"\)\d{{1,7}}\(({_EMAN})(?![\w./+-])")
PID_PAREN_REVERSED = re.compile(rf"\)({_EMAN})\( \d{{1,7}}(?![\w.])")
KEY = re.compile(rf"roc(?<=[Pp]roc)(?<!\w[Pp]roc)(?:ess|ESS)?(?:[ _]?(?:[Nn]ame|NAME))?\"?\s*[:=]\s*\"?({_NAME})")
PATH = re.compile(rf"/(?<![\w.+~/-]/){_PATH_ROOTS}/[^\s\"'<>(){{}}\[\],;:=|*?`\\]+")

# (shape, expression, searched backwards?)
SHAPES = (("bracket", BRACKET_REVERSED, True), ("paren", PAREN_REVERSED, True),
          ("pid_paren", PID_PAREN_REVERSED, True), ("key", KEY, False), ("path", PATH, False))


def _values(text: str, reversed_text: str) -> Iterator[tuple[str, str, int, int]]:
    """``(shape, value, count, first offset)`` for every distinct value of every shape in ``text``."""
    size = len(text)
    for shape, regex, backwards in SHAPES:
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        if backwards:  # matches come last-to-first: the last one seen is the first in the text
            for match in regex.finditer(reversed_text):
                value = match.group(1)
                counts[value] = counts.get(value, 0) + 1
                first[value] = size - match.end()
            for value in sorted(counts, key=first.__getitem__):  # in text order, like the forward shapes
                yield shape, value[::-1], counts[value], first[value]
        else:
            group = 1 if regex.groups else 0
            for match in regex.finditer(text):
                value = match.group(group)
                if value in counts:
                    counts[value] += 1
                else:
                    counts[value] = 1
                    first[value] = match.start()
            for value, count in counts.items():
                yield shape, value, count, first[value]


DATA_SUFFIXES = (
    ".plist", ".db", ".sqlite", ".sqlitedb", ".sqlite3", ".log", ".txt", ".json", ".jsonl", ".xml", ".csv", ".png",
    ".jpg", ".jpeg", ".heic", ".gif", ".pdf", ".ips", ".stub", ".tracev3", ".gz", ".zip", ".tar", ".tgz", ".dat",
    ".strings", ".car", ".nib", ".storyboardc", ".lproj", ".mobileprovision", ".mobileconfig", ".der", ".pem",
    ".cer", ".html", ".css", ".js", ".wal", ".shm", ".journal", ".tbd", ".h", ".dylib", ".framework", ".bundle",
    ".app", ".appex", ".xpc", ".plugin", ".mom", ".momd", ".pb", ".bin", ".cfg", ".conf", ".pid", ".lock",
    ".localstorage",
)
_TRAILING = ".-+"


MAX_PATHS = 8  # distinct paths kept per name and file


class NameTally:
    """What one file says about one process name."""

    __slots__ = ("count", "first_line", "paths", "shapes")

    def __init__(self) -> None:
        self.count = 0
        self.first_line = 0
        self.paths: list[str] = []
        self.shapes: set[str] = set()


class ProcessTally:
    """Distinct process names of one file, fed block by block (memory: one entry per distinct name)."""

    def __init__(self, max_names: int) -> None:
        self.max_names = max_names
        self.names: dict[str, NameTally] = {}
        self.dropped = 0  # occurrences of names beyond ``max_names``

    def add_block(self, text: str, first_line: int) -> None:
        names = self.names
        first_offsets: dict[str, int] = {}  # names first seen in this block -> earliest offset
        for shape, value, count, offset in _values(text, text[::-1]):
            name, path = _name_or_path(value)
            if name is None:
                continue
            tally = names.get(name)
            if tally is None:
                if len(names) >= self.max_names:
                    self.dropped += count
                    continue
                tally = names[name] = NameTally()
                first_offsets[name] = offset
            elif name in first_offsets and offset < first_offsets[name]:
                first_offsets[name] = offset
            tally.count += count
            tally.shapes.add(shape)
            if path is not None and len(tally.paths) < MAX_PATHS and path not in tally.paths:
                tally.paths.append(path)
        line, position = first_line, 0
        for offset, name in sorted((o, n) for n, o in first_offsets.items()):
            line += text.count("\n", position, offset)
            position = offset
            names[name].first_line = line


def process_of_path(path: str) -> str | None:
    """The process name an executable path stands for; None for folders and data files."""
    if path.endswith("/"):
        return None
    base = path.rsplit("/", 1)[-1].rstrip(_TRAILING)
    if len(base) < 2 or base.lower().endswith(DATA_SUFFIXES) or not (base[0].isalpha() or base[0] == "_"):
        return None
    return base


@lru_cache(maxsize=65536)
def _name_or_path(value: str) -> tuple[str | None, str | None]:
    if value.startswith("/"):
        path = value.rstrip(_TRAILING)
        return process_of_path(path), path
    name = value.rstrip(_TRAILING)
    return (name if len(name) >= 2 else None), None
