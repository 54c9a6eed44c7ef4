"""Run a piece of code in a fresh interpreter and measure it: wall time and peak memory (max RSS).

Memory bounds are checked in a subprocess so that the test process's own heap (pytest, hypothesis, the
other tests) does not blur the measure: ``measured(code)`` returns ``(seconds, peak RSS in MiB, stdout)``.
The child also gets an address-space limit, so that a blow-up fails fast instead of swapping.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_PRELUDE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
sys.path[:0] = [{src!r}, {repo!r}]
"""
_EPILOGUE = """
import resource as _r
print("MAXRSS", _r.getrusage(_r.RUSAGE_SELF).ru_maxrss)
"""


def measured(code: str, timeout: float = 60, address_space_mb: int = 2048) -> tuple[float, float, str]:
    """Run ``code`` (a script body) in a child interpreter; its stdout must end with our MAXRSS line."""
    script = (_PRELUDE.format(limit=address_space_mb << 20, src=str(REPO / "src"), repo=str(REPO))
              + textwrap.dedent(code) + _EPILOGUE)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout,
                          check=False)
    seconds = time.monotonic() - started
    assert done.returncode == 0, f"child failed ({done.returncode}): {done.stderr[-2000:]}"
    lines = done.stdout.strip().splitlines()
    assert lines and lines[-1].startswith("MAXRSS "), done.stdout[-2000:]
    return seconds, int(lines[-1].split()[1]) / 1024, "\n".join(lines[:-1])


def baseline_rss_mb() -> float:
    """Peak RSS of a child that only imports spyscan's evidence layer (what the measures are compared to)."""
    return measured("import spyscan.evidence.plist, spyscan.evidence.jsonio, spyscan.engine\n")[1]
