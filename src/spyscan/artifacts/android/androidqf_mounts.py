"""androidqf mounts: ``/proc/mounts`` columns or ``mount`` output (``dev on mp type fs (opts)``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.android.androidqf_common import json_items, text_lines
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.records.android_mounts import AndroidMount
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr

JSON_FILES = ("mounts.json",)
TEXT_FILES = ("mounts.txt", "mount.txt", "proc_mounts.txt")
_MOUNT_CMD = re.compile(r"^(?P<dev>\S+) on (?P<mp>\S+) type (?P<fs>\S+) \((?P<opts>[^)]*)\)\s*$")


def parse_mount_line(line: str) -> tuple[str, str, str, list[str]] | None:
    """``(device, mount point, fs type, options)`` from either mount line format, else None."""
    line = line.strip()
    if not line:
        return None
    match = _MOUNT_CMD.match(line)
    if match:
        return match["dev"], match["mp"], match["fs"], [o for o in match["opts"].split(",") if o]
    fields = line.split()
    if len(fields) >= 4 and fields[1].startswith("/"):
        return fields[0], _unescape(fields[1]), fields[2], [o for o in fields[3].split(",") if o]
    return None


def _unescape(path: str) -> str:
    """/proc/mounts writes spaces and tabs in paths as octal escapes (\\040)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), path)


def parse_mountinfo_line(line: str) -> tuple[str, str, str, list[str], list[str]] | None:
    """``(source, mount point, fs type, mount options, superblock options)`` of a ``/proc/<pid>/mountinfo``
    line, else None.

    Format (Linux Documentation/filesystems/proc.rst, "/proc/<pid>/mountinfo"): mount id, parent id,
    major:minor, root, mount point, mount options, optional fields, ``-``, fs type, source, superblock
    options. A mount is writable only when both option layers say ``rw``: a read-only bind or overlay of
    a writable file system (Xiaomi's ``mi_ext`` overlays) says ``ro`` first and ``rw`` after the ``-``.
    """
    fields = line.split()
    if "-" not in fields[6:]:
        return None
    dash = fields.index("-", 6)
    if len(fields) < dash + 3 or not fields[4].startswith("/"):
        return None
    superblock = fields[dash + 3] if len(fields) > dash + 3 else ""
    return (_unescape(fields[dash + 2]), _unescape(fields[4]), fields[dash + 1],
            [o for o in fields[5].split(",") if o], [o for o in superblock.split(",") if o])


def _mount(source: SourceRef, parsed: tuple[str, str, str, list[str]]) -> AndroidMount:
    dev, mount_point, fs_type, options = parsed
    return AndroidMount(source=source, device=dev, mount_point=mount_point, fs_type=fs_type, options=options,
                        read_write="rw" in options)


class AndroidQFMounts(Artifact):
    id = "android.androidqf.mounts"
    kinds = ("androidqf",)
    title = N_("Mounted file systems (mounts)")
    records = (AndroidMount,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidMount]:
        found = False
        for rel in JSON_FILES:
            if not evidence.exists(rel):
                continue
            found = True
            for position, entry in json_items(evidence, rel, log):
                parsed = parse_mount_line(entry) if isinstance(entry, str) else None
                if parsed is None:
                    log.warn(tr('%(rel)s entry %(position)s is not a mount line', rel=rel, position=position))
                    continue
                yield _mount(SourceRef(file=rel, key=f"[{position}]"), parsed)
        for rel in TEXT_FILES:
            if not evidence.exists(rel):
                continue
            found = True
            for number, line in text_lines(evidence, rel, log):
                parsed = parse_mount_line(line)
                if parsed is None:
                    if line.strip():
                        log.warn(tr('%(rel)s line %(number)s is not a mount line', rel=rel, number=number))
                    continue
                yield _mount(SourceRef(file=rel, line=number), parsed)
        if not found:
            raise ArtifactNotFound(tr('mounts.json / mounts.txt'))
