"""Fuzz target: iOS .ips crash/diagnostic report parser.

Run: fuzz/run.sh ips SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.artifacts.ios.parsers.ips import parse_ips


def one_input(data: bytes) -> None:
    parse_ips(data.decode("utf-8", "replace"))


if __name__ == "__main__":
    common.main(one_input)
