"""Retro-hunt throughput: N stored runs of M records each, hunted locally and on a 2-worker Dask cluster.

Not a test. Generates deterministic stored output folders (records/*.jsonl of Android package and
process records, a run.json and an empty detections.json), registers them in a fresh case store, then
runs the same hunt three ways and prints runs per minute:

    .venv/bin/python bench/hunt_throughput.py                 # 1,000 runs x 10,000 records (issue 9)
    .venv/bin/python bench/hunt_throughput.py --runs 50 --records 2000   # quick look

Everything is written under a temporary folder (or --work) and removed afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from spyscan.cases.hunt import HuntOptions, run_hunt
from spyscan.cases.store import CaseStore
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.android_processes import AndroidProcess
from spyscan.records.base import SourceRef

FAMILY_APPS = [f"com.bench.spy{i}" for i in range(20)]  # planted in some runs, matched by the new feed


def write_feed(path: Path, count: int) -> None:
    """A STIX bundle of ``count`` app-id and domain indicators (20 of them planted in the runs)."""
    objects: list[dict[str, object]] = [{"type": "malware", "id": "malware--00000000-0000-4000-8000-00000000bead",
                                         "name": "BenchSpy", "spec_version": "2.1"}]
    values = FAMILY_APPS + [f"com.bench.other{i}" for i in range(count - len(FAMILY_APPS))]
    for i, value in enumerate(values):
        ind = f"indicator--00000000-0000-4000-8000-{i:012d}"
        objects.append({"type": "indicator", "id": ind, "spec_version": "2.1", "pattern_type": "stix",
                        "pattern": f"[app:id = '{value}']", "valid_from": "2025-01-01T00:00:00Z"})
        objects.append({"type": "relationship", "relationship_type": "indicates", "source_ref": ind,
                        "target_ref": "malware--00000000-0000-4000-8000-00000000bead"})
    path.write_text(json.dumps({"type": "bundle", "id": "bundle--bench", "objects": objects}), encoding="utf-8")


def write_run(folder: Path, number: int, records: int) -> None:
    import msgspec

    rng = random.Random(number)
    (folder / "records").mkdir(parents=True, mode=0o700)
    encoder = msgspec.json.Encoder()
    half = records // 2
    with (folder / "records" / "android.androidqf.packages.jsonl").open("wb") as fh:
        for i in range(half):
            name = FAMILY_APPS[number % len(FAMILY_APPS)] if (i == 7 and number % 10 == 0) else \
                f"org.example.app{rng.randrange(1_000_000)}"
            record = AndroidPackage(source=SourceRef(file="packages.json", key=f"[{i}]"), package=name,
                                    apk_sha256=[f"{rng.getrandbits(256):064x}"],
                                    apk_paths=[f"/data/app/{name}/base.apk"])
            fh.write(encoder.encode(record) + b"\n")
    with (folder / "records" / "android.androidqf.ps.jsonl").open("wb") as fh:
        for i in range(records - half):
            record = AndroidProcess(source=SourceRef(file="ps.txt", line=i + 2), name=f"proc{rng.randrange(5000)}",
                                    pid=i + 100)
            fh.write(encoder.encode(record) + b"\n")
    run = {"tool": "spyscan", "version": "bench", "command": [], "started": "2025-01-01T00:00:00Z",
           "finished": "2025-01-01T00:01:00Z", "kind": "androidqf", "input": f"/bench/acquisition-{number}",
           "inputs": [], "indicators": [], "artifacts": {}, "detections": {}}
    (folder / "run.json").write_text(json.dumps(run), encoding="utf-8")
    (folder / "detections.json").write_text('{"detections": []}', encoding="utf-8")


def make_store(work: Path, runs: int, records: int, name: str) -> CaseStore:
    store = CaseStore(work / name / "cases.sqlite")
    store.new_case("bench")
    for number in range(runs):
        store.add_run("bench", work / "runs" / f"run-{number:04d}", device=f"device-{number % 300}")
    return store


def start_cluster(work: Path, workers: int) -> tuple[str, list[subprocess.Popen[bytes]]]:
    dask = Path(sys.executable).parent / "dask"
    scheduler_file = work / "scheduler.json"
    procs = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(scheduler_file)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    deadline = time.monotonic() + 30
    while not scheduler_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    for i in range(workers):
        procs.append(subprocess.Popen([str(dask), "worker", "--scheduler-file", str(scheduler_file), "--nthreads",
                                       "1", "--no-dashboard", "--host", "127.0.0.1", "--local-directory",
                                       str(work / f"worker-{i}")], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
    address = json.loads(scheduler_file.read_text())["address"]
    import distributed

    with distributed.Client(address, timeout=30) as client:
        client.wait_for_workers(workers, timeout=60)
    return address, procs


def timed(label: str, store: CaseStore, options: HuntOptions, runs: int) -> float:
    started = time.perf_counter()
    result = run_hunt(store, options)
    seconds = time.perf_counter() - started
    affected = len(result.file.runs)
    print(f"{label:<28} {runs} runs in {seconds:8.1f} s = {runs / seconds * 60:10.1f} runs/min "
          f"({affected} runs with new detections, {len(result.file.problems)} problems)")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--indicators", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--modes", default="single,local,dask",
                        help="comma-separated subset of: single (1 process), local (one per core), dask")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="spyscan-bench-hunt-"))
    os.environ.setdefault("SPYSCAN_CACHE_DIR", str(work / "cache"))
    os.environ.setdefault("SPYSCAN_DATA_DIR", str(work / "data"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        started = time.perf_counter()
        for number in range(args.runs):
            write_run(work / "runs" / f"run-{number:04d}", number, args.records)
        feed = work / "feed.stix2"
        write_feed(feed, args.indicators)
        print(f"generated {args.runs} stored runs x {args.records} records in {time.perf_counter() - started:.1f} s "
              f"({os.cpu_count()} CPU cores); {args.indicators} indicators")
        base = {"iocs": [feed], "bundled": False}
        modes = set(args.modes.split(","))
        if "single" in modes:
            timed("local, 1 process", make_store(work, args.runs, args.records, "s1"),
                  HuntOptions(output=work / "h1", jobs=1, **base), args.runs)  # type: ignore[arg-type]
        if "local" in modes:
            timed(f"local, {os.cpu_count()} processes", make_store(work, args.runs, args.records, "s2"),
                  HuntOptions(output=work / "h2", jobs=0, **base), args.runs)  # type: ignore[arg-type]
        if "dask" in modes:
            address, procs = start_cluster(work, args.workers)
            timed(f"Dask, {args.workers} workers", make_store(work, args.runs, args.records, "s3"),
                  HuntOptions(output=work / "h3", scheduler=address, **base), args.runs)  # type: ignore[arg-type]
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
