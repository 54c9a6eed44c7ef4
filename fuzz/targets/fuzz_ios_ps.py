"""Fuzz target: sysdiagnose ps.txt parser.

Run: fuzz/run.sh ios_ps SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.artifacts.ios.parsers.ps import parse_ps


def one_input(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    parse_ps(list(enumerate(text.split("\n"), start=1)))


if __name__ == "__main__":
    common.main(one_input)
