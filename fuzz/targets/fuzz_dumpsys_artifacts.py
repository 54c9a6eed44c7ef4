"""Fuzz target: every dumpsys_* artifact (packages, appops, accessibility, receivers...).

Run: fuzz/run.sh dumpsys_artifacts SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.artifacts.base import all_artifacts

DUMPSYS = sorted(a for a in all_artifacts() if a.startswith("android.dumpsys."))


def one_input(data: bytes) -> None:
    if not data:
        return
    common.run_artifact(DUMPSYS[data[0] % len(DUMPSYS)], data[1:])


if __name__ == "__main__":
    common.main(one_input)
