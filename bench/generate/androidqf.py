"""A large androidqf acquisition folder: N packages, N processes and N files (same formats as androidqf,
written by the test builder ``tests/builders/androidqf.py``), with planted indicator values."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from .plants import GroundTruth, Picker, Plant

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.builders.androidqf import build_androidqf, file_entry, package  # noqa: E402

PATH_RULE = ("§3 File paths: component-aware prefix (reference uses a plain string prefix, so /a/bad "
             "matches /a/badfile)")
PLATFORM_RULE = ("platform scope (issue 19): a process name that only feeds about iPhones list is never matched on "
                 "an Android phone (the reference matches indicators on any platform)")


class AndroidQFGenerator:
    def __init__(self, out: Path, records: int, seed: int, picker: Picker) -> None:
        self.out, self.n, self.seed, self.picker = out, records, seed, picker
        self.rng = random.Random(seed)
        self.truth = GroundTruth(kind="androidqf", records=records, seed=seed)

    def plant(self, source: str, row: int, value: str, indicator: str, ioc_type: str, spyscan: bool = True,
              reference: bool = True, rule: str = "") -> None:
        self.truth.plants.append(Plant(f"{source}#{len(self.truth.plants)}", source, "", row, value, indicator,
                                       ioc_type, spyscan, reference, rule))

    def build(self) -> GroundTruth:
        n, p = self.n, self.picker
        rows = self.rng.sample(range(n), 6)
        apps = {rows[0]: p.app_id("android"), rows[1]: p.app_id("android")}
        # the public feeds list no Android process name: an iPhone-only one is planted as a trap instead
        proc_row, proc = rows[2], p.process_only("ios")
        path = p.android_path()
        trap = path.rstrip("/") + "cache/data.bin"
        paths = {rows[3]: path + ("payload.bin" if path.endswith("/") else ""), rows[4]: trap}
        for row, app in apps.items():
            self.plant("packages.json", row, app, app, "app_id")
        self.plant("ps.txt", proc_row, proc, proc, "process", spyscan=False, reference=True, rule=PLATFORM_RULE)
        self.plant("files.json", rows[3], paths[rows[3]], path, "file_path")
        self.plant("files.json", rows[4], trap, path, "file_path", spyscan=False, reference=True, rule=PATH_RULE)
        packages = [package(apps.get(i, f"com.bench.app{i:07d}"), uid=10_000 + i % 50_000,
                            installer="com.android.vending") for i in range(n)]
        processes = [("u0_a150", 5000 + i, 1, proc if i == proc_row else f"com.bench.app{i:07d}")
                     for i in range(n)]
        files = [file_entry(paths.get(i, f"/sdcard/Download/bench/{i // 1000}/file{i}.dat"),
                            modified=1_710_000_000 + i) for i in range(n)]
        build_androidqf(self.out, packages=packages, processes=processes, files=files)
        return self.truth
