"""Sum a campaign log (fuzz/campaign.log, written by fuzz/campaign.sh) per target, as a Markdown table.

    python3 fuzz/summary.py [fuzz/campaign.log]

Each log line is ``<start UTC> <target> <seconds> <exit status> [<executions>]``; exit status 0 is a
slice that ran to its time limit, anything else a slice stopped by a finding. libFuzzer prints no
execution count for a stopped slice (and the first campaign logged none), so a count that misses
some slices ends with ``+``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Target:
    seconds: int = 0
    slices: int = 0
    runs: int = 0
    counted: int = 0  # slices whose executions were logged
    findings: int = 0


def read(log: Path) -> dict[str, Target]:
    targets: dict[str, Target] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) < 4 or not fields[2].isdigit():
            continue
        target = targets.setdefault(fields[1], Target())
        target.seconds += int(fields[2])
        target.slices += 1
        if fields[3] != "0":
            target.findings += 1
        if len(fields) > 4 and fields[4].isdigit():
            target.runs += int(fields[4])
            target.counted += 1
    return targets


def table(targets: dict[str, Target]) -> str:
    rows = ["| target | seconds | hours | slices | inputs executed | slices stopped by a finding |",
            "|---|---|---|---|---|---|"]
    for name in sorted(targets):
        t = targets[name]
        runs = f"{t.runs:,}" + ("+" if t.counted < t.slices else "") if t.counted else "not logged"
        rows.append(f"| `{name}` | {t.seconds:,} | {t.seconds / 3600:.2f} | {t.slices} | {runs} | "
                    f"{t.findings or ''} |")
    total = sum(t.seconds for t in targets.values())
    rows.append(f"| **total** | **{total:,}** | **{total / 3600:.2f}** | "
                f"{sum(t.slices for t in targets.values())} | "
                f"{sum(t.runs for t in targets.values()):,} | {sum(t.findings for t in targets.values())} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table(read(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("campaign.log")))))
