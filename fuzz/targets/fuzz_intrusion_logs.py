"""Fuzz target: Android intrusion-logging export lines through the intrusion-logs kind.

Run: fuzz/run.sh intrusion_logs SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.errors import ArtifactNotFound, SpyscanError
    from spyscan.kinds import all_kinds, intrusion_logs  # noqa: F401 - the kind module, instrumented


def one_input(data: bytes) -> None:
    folder = common.scratch_file("unused", b"").parent / "intrusion-logs"
    folder.mkdir(exist_ok=True)
    (folder / "2024-06-01.txt").write_bytes(data)
    (folder.parent / "work").mkdir(exist_ok=True)
    evidence = all_kinds()["intrusion-logs"](folder, folder.parent / "work")
    try:
        evidence.open()
        for wanted in ("dns_event", "connect_event", "security_event"):
            list(evidence.events(wanted))  # type: ignore[attr-defined]
    except (SpyscanError, ArtifactNotFound):
        pass


if __name__ == "__main__":
    common.main(one_input)
