"""Fuzz target: timestamp converters (UNIX s/ms, Cocoa, WebKit, ISO) on any number or text.

Run: fuzz/run.sh timeutil SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan import timeutil as t


def one_input(data: bytes) -> None:
    fdp = common.provider(data)
    values = [fdp.ConsumeInt(9), fdp.ConsumeFloat(), fdp.ConsumeUnicodeNoSurrogates(40), fdp.ConsumeBytes(8)]
    for value in values:
        for func in (t.from_unix, t.from_unix_ms, t.from_cocoa, t.from_webkit, t.from_iso):
            result = func(value)
            if result is not None and t.from_iso(t.iso(result)) != result:
                raise AssertionError(f"iso round trip failed for {result!r}")


if __name__ == "__main__":
    common.main(one_input)
