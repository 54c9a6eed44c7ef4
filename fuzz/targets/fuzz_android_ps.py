"""Fuzz target: androidqf ps.txt through the ps artifact.

Run: fuzz/run.sh android_ps SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():  # the artifact's modules, imported here so that they are instrumented
    from spyscan.artifacts.android import androidqf_common, androidqf_ps  # noqa: F401


def one_input(data: bytes) -> None:
    common.run_artifact("android.androidqf.ps", data)


if __name__ == "__main__":
    common.main(one_input)
