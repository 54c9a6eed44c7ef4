"""Fuzz target: androidqf ``packages.json`` (JSON array or NDJSON) through the packages artifact, run by
the engine's per-artifact path on the tests' hostile evidence (the corruption matrix's rules apply).

Run: fuzz/run.sh androidqf_packages SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.artifacts.android import androidqf_packages  # noqa: F401 - instrumented before the run


def one_input(data: bytes) -> None:
    common.run_artifact("android.androidqf.packages", data)


if __name__ == "__main__":
    common.main(one_input)
