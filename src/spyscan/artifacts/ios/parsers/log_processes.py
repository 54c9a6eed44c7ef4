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

Every expression is linear (no nested repetition) and runs over a whole block of lines at once.
"""

from __future__ import annotations

import re

_NAME = r"[A-Za-z_][\w.+-]{0,79}"
_BEFORE = r"(?<![\w./+-])"
_PATH_ROOTS = r"(?:private/var|var|usr|System|Applications|Library|bin|sbin|Developer|private/preboot)"
_PATH = rf"/{_PATH_ROOTS}/[^\s\"'<>(){{}}\[\],;:=|*?`\\]+"

BRACKET = re.compile(rf"{_BEFORE}({_NAME})\[(\d{{1,7}})\]")
PAREN = re.compile(rf"{_BEFORE}({_NAME})\((\d{{1,7}})\)")
PID_PAREN = re.compile(rf"(?<![\w.])\d{{1,7}} \(({_NAME})\)")
KEY = re.compile(rf"(?i)\b(?:process|proc|process[ _]?name|proc[ _]?name)\"?\s*[:=]\s*\"?({_NAME})")
PATH = re.compile(rf"(?<![\w.~/-])({_PATH})")

SHAPES = (("bracket", BRACKET), ("paren", PAREN), ("pid_paren", PID_PAREN), ("key", KEY), ("path", PATH))

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
        for shape, regex in SHAPES:
            for match in regex.finditer(text):
                name, path = _name_or_path(match.group(1))
                if name is None:
                    continue
                tally = names.get(name)
                if tally is None:
                    if len(names) >= self.max_names:
                        self.dropped += 1
                        continue
                    tally = names[name] = NameTally()
                    first_offsets[name] = match.start()
                elif name in first_offsets and match.start() < first_offsets[name]:
                    first_offsets[name] = match.start()
                tally.count += 1
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


def _name_or_path(value: str) -> tuple[str | None, str | None]:
    if value.startswith("/"):
        path = value.rstrip(_TRAILING)
        return process_of_path(path), path
    name = value.rstrip(_TRAILING)
    return (name if len(name) >= 2 else None), None
