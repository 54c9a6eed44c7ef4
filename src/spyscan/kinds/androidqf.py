"""androidqf acquisitions (folder form)."""

from __future__ import annotations

from pathlib import Path

from spyscan.evidence.base import Evidence

MARKERS = ("acquisition.json", "packages.json", "getprop.txt", "ps.txt", "processes.json", "files.json",
           "dumpsys.txt", "settings_global.txt")


class AndroidQFEvidence(Evidence):
    kind = "androidqf"
    label = "androidqf acquisition (folder)"
    priority = 40

    @classmethod
    def detect(cls, path: Path) -> bool:
        if not path.is_dir():
            return False
        return sum(1 for m in MARKERS if (path / m).is_file()) >= 2
