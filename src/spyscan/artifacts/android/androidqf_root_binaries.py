"""androidqf ``root_binaries.json``: paths of rooting tools found on the device.

androidqf runs ``which -a <name>`` for su, busybox, supersu, Superuser.apk, KingoUser.apk, SuperSu.apk,
magisk, magiskhide, magiskinit and magiskpolicy and saves each non-empty output as one string of a
JSON array: with ``-a`` one string may hold several paths, one per line.
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.android.androidqf_common import clean_str, json_items
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.records.android_files import AndroidRootBinary
from spyscan.records.base import SourceRef
from spyscan.texts import N_

FILE = "root_binaries.json"


class AndroidQFRootBinaries(Artifact):
    id = "android.androidqf.root_binaries"
    kinds = ("androidqf",)
    title = N_("Root binaries (root_binaries.json)")
    records = (AndroidRootBinary,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidRootBinary]:
        for position, entry in json_items(evidence, FILE, log):
            text = clean_str(entry.get("path") if isinstance(entry, dict) else entry)
            for path in (text or "").splitlines():
                if path.strip():
                    yield AndroidRootBinary(source=SourceRef(file=FILE, key=f"[{position}]"), path=path.strip())
