"""Run one command and measure it: wall time, peak RSS of the whole process tree, exit status.

Peak RSS is measured two ways and both are reported:

* ``tree_peak_rss``: psutil polls the command and all its descendants every ``--interval`` seconds
  and keeps the largest *sum* of their RSS (fork-shared pages are counted in every process, so this
  errs high for a process pool; a very short peak between two polls can be missed);
* ``max_single_rss``: ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of this fresh wrapper process, i.e. the
  largest RSS any single waited-for descendant reached (the kernel's own accounting).

``--rss-limit GIB`` kills the command (and records ``rss_limit_hit``) when the tree's RSS exceeds it, so
that a tool whose memory grows with the input cannot push the shared machine into the OOM killer.

``python measure.py --out RESULT.json [--timeout S] [--rss-limit GIB] -- COMMAND...``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import psutil


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def measure(command: list[str], timeout: float, interval: float, log: Path | None,
            rss_limit: float | None = None) -> dict[str, object]:
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    watched = psutil.Process(child.pid)
    peak = 0
    timed_out = False
    limit_hit = False
    while child.poll() is None:
        peak = max(peak, tree_rss(watched))
        limit_hit = rss_limit is not None and peak > rss_limit
        if limit_hit or time.monotonic() - started > timeout:
            timed_out = not limit_hit
            os.killpg(child.pid, 9)
            child.wait()
            break
        time.sleep(interval)
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if log:
        out.close()  # type: ignore[union-attr]
    return {"command": command, "wall_seconds": round(wall, 3), "tree_peak_rss": peak,
            "max_single_rss": usage.ru_maxrss * 1024, "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
            "exit_code": child.returncode, "timed_out": timed_out, "rss_limit_hit": limit_hit,
            # 1-minute load average before and after: the machine is shared, a high load means contention
            "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--log", type=Path)
    parser.add_argument("--timeout", type=float, default=7200.0)
    parser.add_argument("--interval", type=float, default=0.05)
    parser.add_argument("--rss-limit", type=float, help="GiB; kill the command when its tree RSS exceeds this")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    limit = args.rss_limit * 2**30 if args.rss_limit else None
    result = measure(command, args.timeout, args.interval, args.log, limit)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
