"""Summarise a py-spy ``--format raw`` (folded stacks) profile: top functions by own and total samples.

``python bench/profile_summary.py PROFILE.folded [--top 25] [--match TEXT]``
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def frame_name(frame: str) -> str:
    m = FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    file = m.group("file")
    for marker in ("site-packages/", "src/", "lib/python3.11/"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{m.group('func')} ({file})"


def summarise(path: Path, top: int, match: str) -> str:
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        if match and match not in stack:
            continue
        count = int(count_text)
        frames = [frame_name(f) for f in stack.split(";") if not f.startswith("process ")]
        samples += count
        if frames:
            own[frames[-1]] += count
        for name in set(frames):
            total[name] += count
    lines = [f"samples: {samples}", "", "own samples (share):"]
    lines += [f"  {n / samples:6.1%}  {name}" for name, n in own.most_common(top)]
    lines += ["", "total samples incl. callees (share):"]
    lines += [f"  {n / samples:6.1%}  {name}" for name, n in total.most_common(top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="only stacks containing this text")
    args = parser.parse_args(argv)
    print(summarise(args.profile, args.top, args.match))
    return 0


if __name__ == "__main__":
    sys.exit(main())
