#!/usr/bin/env python3
"""Micro-benchmark: the cost of matching process names and app ids against the bundled indicator set.

A process name that has the shape of a package (``com.example.app:remote``) is also looked up among app-id
indicators, and an app id without dots among process names; this measures what that adds on the hot path.
The same 10,000 observed values (package-shaped and plain process names as an Android process list has
them, app ids, file names) are matched against the 10.7k bundled indicators; best of ``--repeats`` runs.

    .venv/bin/python bench/cross_type_matching.py [--repeats 7]
    PYTHONPATH=/path/to/other/src python bench/cross_type_matching.py   # the same on another version
"""

from __future__ import annotations

import argparse
import random
import time

from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.sources import load_indicator_set
from spyscan.observables import Obs

PACKAGES = ["com.google.android.gms", "com.android.phone", "com.whatsapp", "org.telegram.messenger",
            "com.android.systemui", "com.samsung.android.app.spage", "com.facebook.katana", "android.process.media"]
PLAIN = ["system_server", "surfaceflinger", "zygote64", "logd", "vold", "netd", "kworker/u16:3", "init",
         "/system/bin/app_process64", "/vendor/bin/hw/android.hardware.health@2.1-service"]


def queries(count: int, seed: int = 3) -> dict[Obs, list[str]]:
    rng = random.Random(seed)
    suffixes = ["", "", ":remote", ":persistent", ":ui"]
    processes = [(rng.choice(PACKAGES) + rng.choice(suffixes)) if rng.random() < 0.6
                 else rng.choice(PLAIN) for _ in range(count)]
    return {
        Obs.PROCESS: processes,
        Obs.APP_ID: [rng.choice([*PACKAGES, "ptpcamerad", "com.apple.mobilesafari"]) for _ in range(count)],
        Obs.FILE_NAME: [f"file{rng.randrange(10**6)}.plist" for _ in range(count)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--platform", choices=("ios", "android"), help="keep the indicators a check of that "
                        "platform keeps (as engine/run.py does)")
    args = parser.parse_args()
    indicators = load_indicator_set([], user=False, env=False).indicators
    if args.platform:
        indicators = [i for i in indicators if getattr(i, "platform", None) in (None, args.platform)]
    index = IndicatorIndex.build(indicators)
    match = index.match
    for obs, values in queries(args.count).items():
        best = float("inf")
        for _ in range(args.repeats):
            start = time.process_time()
            for value in values:
                match(obs, value)
            best = min(best, time.process_time() - start)
        print(f"{obs.value:>10}: {best / len(values) * 1e6:.2f} µs per value ({len(indicators)} indicators)")


if __name__ == "__main__":
    main()
