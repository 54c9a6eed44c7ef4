"""Fuzz target: iOS crash reports (``.ips``: a JSON header line, then a JSON or text body) through the
crash-reports artifact (header times, process names, paths), on the tests' hostile sysdiagnose evidence.

Run: fuzz/run.sh crash_reports SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.artifacts.ios import sysdiagnose_crashes  # noqa: F401 - instrumented before the run


def one_input(data: bytes) -> None:
    common.run_artifact("ios.crash_reports", data)


if __name__ == "__main__":
    common.main(one_input)
