"""Fuzz target: strict text decoding: escapes and counts, line numbers, line limit.

Run: fuzz/run.sh textio SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.evidence.textio import decode_bytes, iter_lines


def one_input(data: bytes) -> None:
    decoded = decode_bytes(data)
    decoded.text.encode("utf-8")
    count = sum(1 for _ in iter_lines(data, limit=64))
    if count != len(data.splitlines()):
        raise AssertionError("line count differs")


if __name__ == "__main__":
    common.main(one_input)
