"""Fuzz target: Android mount lines (parser and the androidqf mounts artifact).

Run: fuzz/run.sh mounts SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.artifacts.android.androidqf_mounts import parse_mount_line


def one_input(data: bytes) -> None:
    for line in data.decode("utf-8", "replace").split("\n"):
        parse_mount_line(line)
    common.run_artifact("android.androidqf.mounts", data)


if __name__ == "__main__":
    common.main(one_input)
