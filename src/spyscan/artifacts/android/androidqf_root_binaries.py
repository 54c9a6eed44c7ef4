"""androidqf ``root_binaries.json``: paths of rooting tools found on the device."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.android.androidqf_common import clean_str, json_items
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.records.android_files import AndroidRootBinary
from spyscan.records.base import SourceRef

FILE = "root_binaries.json"


class AndroidQFRootBinaries(Artifact):
    id = "android.androidqf.root_binaries"
    kinds = ("androidqf",)
    title = "Root binaries (root_binaries.json)"
    records = (AndroidRootBinary,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidRootBinary]:
        for position, entry in json_items(evidence, FILE, log):
            path = clean_str(entry.get("path") if isinstance(entry, dict) else entry)
            if path:
                yield AndroidRootBinary(source=SourceRef(file=FILE, key=f"[{position}]"), path=path)
