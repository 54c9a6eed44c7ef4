"""Fuzz target: dumpsys output split into sections (androidqf dumpsys.txt, bugreport dumpstate).

Run: fuzz/run.sh dumpsys SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.evidence.android_dumpsys import split_dumpsys_bytes
    from spyscan.evidence.textio import decode_bytes


def one_input(data: bytes) -> None:
    original = data.splitlines()
    for section in split_dumpsys_bytes(data, "dumpsys.txt").values():
        if not section.text:
            continue
        for number, line in section.lines():
            if decode_bytes(original[number - 1][: 1 << 20]).text != line:
                raise AssertionError(f"section line {number} does not point back to its line")


if __name__ == "__main__":
    common.main(one_input)
