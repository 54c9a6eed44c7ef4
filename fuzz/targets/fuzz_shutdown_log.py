"""Fuzz target: iOS shutdown.log parser.

Run: fuzz/run.sh shutdown_log SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.artifacts.ios.parsers.shutdown_log import parse_shutdown_text


def one_input(data: bytes) -> None:
    parse_shutdown_text(data.decode("utf-8", "replace"))


if __name__ == "__main__":
    common.main(one_input)
