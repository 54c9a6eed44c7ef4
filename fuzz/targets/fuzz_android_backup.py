"""Fuzz target: Android .ab backup stream reader (header, zlib, tar walk).

Run: fuzz/run.sh android_backup SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.errors import EvidenceError
    from spyscan.evidence.android_backup_stream import BackupReader
    from spyscan.evidence.archive import ArchiveLimits


def one_input(data: bytes) -> None:
    path = common.scratch_file("input.ab", b"ANDROID BACKUP\n" + data)
    try:
        reader = BackupReader(path, None, ArchiveLimits(max_member_size=1 << 20, max_total_size=8 << 20))
        for entry in reader.entries():
            entry.read(1 << 20)
    except EvidenceError:
        pass


if __name__ == "__main__":
    common.main(one_input)
