"""Fuzz target: zip/tar reading with limits (names, links, bombs, damaged data).

Run: fuzz/run.sh archive SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.errors import EvidenceError
    from spyscan.evidence.archive import Archive, ArchiveLimits


def one_input(data: bytes) -> None:
    path = common.scratch_file("input.bin", data)
    limits = ArchiveLimits(max_member_size=1 << 20, max_total_size=8 << 20, max_members=5000)
    try:
        with Archive(path, limits) as archive:
            for member in archive.files():
                archive.read(member.name)
    except EvidenceError:
        pass


if __name__ == "__main__":
    common.main(one_input)
