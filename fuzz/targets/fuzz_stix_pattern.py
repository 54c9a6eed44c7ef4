"""Fuzz target: STIX pattern parsing (ANTLR grammar + our comparison collector).

Run: fuzz/run.sh stix_pattern SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import contextlib

import common

with common.instrumented():
    from spyscan.indicators.patterns import PatternUnsupported, parse_pattern


def one_input(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    for candidate in (text, f"[domain-name:value = '{text}']"):
        with contextlib.suppress(PatternUnsupported):
            parse_pattern(candidate)


if __name__ == "__main__":
    common.main(one_input)
