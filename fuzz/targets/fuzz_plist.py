"""Fuzz target: the bounded property-list reader (binary and XML), checked against plistlib.

Property: only ``PlistError`` escapes; when both readers accept an input they give the same value (NaN
compared as NaN), except where ours keeps a value plistlib cannot build (an out-of-range date) as stored.

Run: fuzz/run.sh plist SECONDS
"""

from __future__ import annotations

import math
import plistlib
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.evidence.plist import PlistError, PlistLimits, load_plist

LIMITS = PlistLimits(max_depth=64, max_objects=50_000)


def _same(a: Any, b: Any, budget: list[int]) -> bool:
    budget[0] -= 1
    if budget[0] < 0:
        return True  # too big to compare in a fuzz run; equal so far
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        if any(isinstance(k, float) and math.isnan(k) for k in a):  # NaN keys: no two readers' keys compare
            return len(a) == len(b)
        return a.keys() == b.keys() and all(_same(a[k], b[k], budget) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y, budget) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def one_input(data: bytes) -> None:
    try:
        ours = load_plist(data, LIMITS)
    except PlistError as exc:
        if "\n" in str(exc):
            raise AssertionError(f"multi-line error {exc!r}") from exc
        return
    try:
        theirs = plistlib.loads(data)
    except Exception:  # plistlib refuses more (bad dates, sets, bad strings) or overflows its stack
        return
    if not _same(ours, theirs, [20_000]):
        raise AssertionError("the bounded reader and plistlib disagree")


if __name__ == "__main__":
    common.main(one_input)
