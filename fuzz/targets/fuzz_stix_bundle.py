"""Fuzz target: STIX2 bundle files (JSON decoding, objects, patterns).

Run: fuzz/run.sh stix_bundle SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import contextlib

import common

with common.instrumented():
    from spyscan.errors import IndicatorError
    from spyscan.indicators.stix import parse_bundle_bytes


def one_input(data: bytes) -> None:
    with contextlib.suppress(IndicatorError):
        parse_bundle_bytes(data, "fuzz.stix2")


if __name__ == "__main__":
    common.main(one_input)
