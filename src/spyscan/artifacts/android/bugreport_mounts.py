"""Mounted file systems in a bugreport: the copies of ``/proc/<pid>/mountinfo`` under ``FS/proc/``.

The dumpstate adds ``/proc/<pid>/mountinfo`` of one process per mount namespace to the zip (AOSP
frameworks/native/cmds/dumpstate/dumpstate.cpp ``do_mountinfo``/``add_mountinfo``). Each line has two
option layers (``androidqf_mounts.parse_mountinfo_line``); a mount is writable only when both say ``rw``.
The records are the same as androidqf's mounts records, so the same rule judges them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.android.androidqf_mounts import parse_mountinfo_line
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.textio import decode_bytes
from spyscan.kinds.bugreport import BugreportEvidence
from spyscan.records.android_mounts import AndroidMount
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr

_MOUNTINFO = re.compile(r"^FS/proc/\d+/mountinfo$")
LIMIT = 16 << 20


class BugreportMounts(Artifact):
    id = "android.bugreport.mounts"
    kinds = ("bugreport",)
    same_data = "mounts"
    title = N_("Mounted file systems (FS/proc/*/mountinfo)")
    records = (AndroidMount,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidMount]:
        if not isinstance(evidence, BugreportEvidence):
            raise ArtifactNotFound(tr('not a bugreport'))
        names = sorted(n for n in evidence.files() if _MOUNTINFO.match(n))
        if not names:
            raise ArtifactNotFound(tr('no FS/proc/<pid>/mountinfo in this bugreport'))
        for name in names:
            data = evidence.read_file(name, LIMIT)
            if not data.strip():
                log.warn(tr('%(name)s is empty', name=name))
                continue
            decoded = decode_bytes(data)
            if decoded.bad_bytes:
                log.warn(tr('%(name)s: %(bad_bytes)s undecodable byte sequence(s) escaped', name=name,
                            bad_bytes=decoded.bad_bytes))
            bad = 0
            for number, line in enumerate(decoded.text.splitlines(), start=1):
                parsed = parse_mountinfo_line(line) if line.strip() else None
                if parsed is None:
                    bad += bool(line.strip())
                    continue
                device, mount_point, fs_type, options, superblock = parsed
                yield AndroidMount(source=SourceRef(file=name, line=number), device=device, mount_point=mount_point,
                                   fs_type=fs_type, options=options, superblock_options=superblock,
                                   read_write="rw" in options and "rw" in superblock)
            if bad:
                log.warn(tr('%(name)s: %(bad)s line(s) are not mountinfo lines', name=name, bad=bad))
