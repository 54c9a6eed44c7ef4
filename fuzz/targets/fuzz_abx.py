"""Fuzz target: Android binary XML (ABX) and the adb keystore readers built on it (strict and lossy).

Property: ``parse_abx`` raises only ``AbxError``; the keystore readers never raise.

Run: fuzz/run.sh abx SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.artifacts.android.dumpsys_adb import keystore_entries
    from spyscan.evidence.abx import ABX_MAGIC, AbxError, AbxLimits, parse_abx

LIMITS = AbxLimits(max_depth=32, max_elements=5000, max_attributes=20_000, max_text=1 << 16)


def one_input(data: bytes) -> None:
    document = data if data.startswith(ABX_MAGIC) else ABX_MAGIC + data
    try:
        root = parse_abx(document, LIMITS)
        root.iter("adbKey")
    except AbxError:
        pass
    keystore_entries(document)


if __name__ == "__main__":
    common.main(one_input)
