"""Fuzz target: iOS MobileInstallation log line parser.

Run: fuzz/run.sh mobile_installation SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.artifacts.ios.parsers.mobile_installation import parse_install_line


def one_input(data: bytes) -> None:
    for line in data.decode("utf-8", "replace").split("\n"):
        parse_install_line(line)


if __name__ == "__main__":
    common.main(one_input)
