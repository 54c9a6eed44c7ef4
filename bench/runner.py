"""Benchmark driver behind ``bench/run`` (runs in bench/.venv-ref, which has the reference tool and psutil).

Subcommands::

    run compare  --kinds ios-backup --sizes 10000,100000 [--repeats 2] [--no-reference | --no-spyscan]
                 [--timeout S] [--rss-limit GIB]
    run floor    --sizes 100000            bare sqlite3 loop over the same rows (iOS backup)
    run contract-floor --sizes 100000      the floor, then the least the output contract costs in CPython
    run indicators --size 100000 --counts 10000,100000   spyscan with extra synthetic indicators
    run table                              print the collected results (bench/data/results.jsonl)

Inputs are generated once per kind/size/seed into bench/data/ and reused. Every measured run goes
through measure.py in a fresh process; results are appended to bench/data/results.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATA = BENCH / "data"
FEEDS = REPO / "src" / "spyscan" / "indicators" / "bundled" / "feeds"
PROJECT_PYTHON = REPO / ".venv" / "bin" / "python"
SPYSCAN = REPO / ".venv" / "bin" / "spyscan"
REF_BIN = BENCH / ".venv-ref" / "bin"
RESULTS = DATA / "results.jsonl"
REFERENCE_COMMANDS = {
    "ios-backup": ["mvt-ios", "check-backup"],
    "androidqf": ["mvt-android", "check-androidqf", "--non-interactive"],
    "bugreport": ["mvt-android", "check-bugreport"],
}


def feed_files() -> list[Path]:
    return sorted(FEEDS.rglob("*.stix2"))


def iocs_args(files: list[Path]) -> list[str]:
    return [arg for f in files for arg in ("--iocs", str(f))]


def label(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1000}k"


def input_path(kind: str, size: int, seed: int) -> Path:
    suffix = {"bugreport": ".zip"}.get(kind, "")
    return DATA / f"{kind}-{label(size)}-s{seed}{suffix}"


def ensure_input(kind: str, size: int, seed: int) -> Path:
    path = input_path(kind, size, seed)
    truth = path.parent / f"{path.name}.truth.json"
    if truth.is_file() and path.exists():
        return path
    if path.is_dir():
        shutil.rmtree(path)
    path.unlink(missing_ok=True)
    DATA.mkdir(exist_ok=True)
    subprocess.run([str(PROJECT_PYTHON), "-m", "generate", kind, "--records", str(size), "--seed", str(seed),
                    "--out", str(path), "--feeds", str(FEEDS)], cwd=BENCH, check=True)
    return path


def reference_env() -> dict[str, str]:
    home = DATA / "reference-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MVT_")}
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local"),
                "XDG_CACHE_HOME": str(home / ".cache"), "MVT_CONFIG_FOLDER": str(home / "config"),
                "MVT_NETWORK_ACCESS_ALLOWED": "false"})
    return env


def tool_command(tool: str, kind: str, source: Path, out: Path, iocs: list[Path], jobs: int) -> list[str]:
    if tool == "spyscan":
        return [str(SPYSCAN), "check", str(source), "-o", str(out), "--kind", kind, "--no-bundled-iocs",
                *iocs_args(iocs), "-q", "--jobs", str(jobs)]
    binary, *rest = REFERENCE_COMMANDS[kind]
    return [str(REF_BIN / binary), "--disable-update-check", "--disable-indicator-update-check", *rest,
            *iocs_args(iocs), "--output", str(out), str(source)]


def measured_run(tool: str, kind: str, source: Path, out: Path, iocs: list[Path], timeout: float,
                 jobs: int, rss_limit: float | None = None) -> dict[str, Any]:
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if tool != "spyscan":
        out.mkdir()
    result_file = out.parent / f"{out.name}.measure.json"
    command = tool_command(tool, kind, source, out, iocs, jobs)
    env = reference_env() if tool == "reference" else dict(os.environ)
    subprocess.run([sys.executable, str(BENCH / "measure.py"), "--out", str(result_file), "--log",
                    str(out.parent / f"{out.name}.log"), "--timeout", str(timeout),
                    *(["--rss-limit", str(rss_limit)] if rss_limit else []), "--", *command],
                   env=env, check=True)
    result: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    return result


def spyscan_revision() -> str:
    """The commit measured, with ``+dirty`` when src/ has uncommitted changes (shared working tree)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=REPO, capture_output=True,
                           text=True).stdout
    return head.strip() + ("+dirty" if dirty.strip() else "")


def record(entry: dict[str, Any]) -> None:
    entry["spyscan_revision"] = spyscan_revision()
    DATA.mkdir(exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


def gib(n: float) -> str:
    return f"{n / 2**30:.2f} GiB"


def cmd_compare(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(BENCH))
    from compare import compare

    iocs = feed_files()
    for kind in args.kinds.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            source = ensure_input(kind, size, args.seed)
            truth = source.parent / f"{source.name}.truth.json"
            tools = [t for t, skip in (("spyscan", args.no_spyscan), ("reference", args.no_reference)) if not skip]
            for repeat in range(args.start_repeat, args.start_repeat + args.repeats):
                order = tools if repeat % 2 == 0 else tools[::-1]  # alternate A/B
                runs: dict[str, dict[str, Any]] = {}
                for tool in order:
                    out = DATA / "out" / f"{source.name}" / f"{tool}-r{repeat}"
                    runs[tool] = measured_run(tool, kind, source, out, iocs, args.timeout, args.jobs, args.rss_limit)
                    m = runs[tool]
                    print(f"{kind} {label(size)} r{repeat} {tool}: {m['wall_seconds']:.1f}s tree-peak "
                          f"{gib(m['tree_peak_rss'])} single-max {gib(m['max_single_rss'])} exit {m['exit_code']}"
                          f"{' TIMEOUT' if m['timed_out'] else ''}{' RSS-LIMIT' if m.get('rss_limit_hit') else ''}",
                          flush=True)
                entry = {"kind": kind, "records": size, "seed": args.seed, "repeat": repeat, "order": order,
                         "runs": runs, "jobs": args.jobs, "time": time.time()}
                if "spyscan" in runs:  # reference-only runs are compared later with bench/compare.py
                    s_out = DATA / "out" / source.name / f"spyscan-r{repeat}"
                    r_out = DATA / "out" / source.name / f"reference-r{repeat}"
                    comparison = compare(truth, s_out, r_out if "reference" in runs else None)
                    print("\n".join(comparison.summary_lines()), flush=True)
                    entry.update({
                        "plants": {p.id: p.status for p in comparison.plants},
                        "found": {p.id: [p.found_spyscan, p.found_reference] for p in comparison.plants},
                        "detections": [comparison.spyscan_indicator_detections,
                                       comparison.reference_indicator_detections],
                        "other_findings": [comparison.spyscan_other_findings, comparison.reference_other_alerts],
                        "unplanted": len(comparison.unplanted)})
                if len(runs) == 2 and not runs["reference"]["timed_out"] and runs["reference"]["exit_code"] == 0:
                    s, r = runs["spyscan"], runs["reference"]
                    entry["wall_ratio"] = s["wall_seconds"] / r["wall_seconds"]
                    entry["rss_ratio"] = s["tree_peak_rss"] / max(1, r["tree_peak_rss"])
                    entry["cpu_ratio"] = s["cpu_seconds"] / max(0.001, r["cpu_seconds"])
                    print(f"  ratio spyscan/reference: wall {entry['wall_ratio']:.3f}x, tree-peak RSS "
                          f"{entry['rss_ratio']:.3f}x", flush=True)
                record(entry)
    return 0


def floor_tables(backup: Path) -> list[tuple[Path, str]]:
    manifest = sqlite3.connect(f"file:{backup / 'Manifest.db'}?mode=ro", uri=True)
    found: list[tuple[Path, str]] = [(backup / "Manifest.db", "Files")]
    for fid, relative in manifest.execute("SELECT fileID, relativePath FROM Files WHERE flags = 1"):
        path = backup / fid[:2] / fid
        if not relative.endswith((".db", ".sqlite")):
            continue
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        conn.close()
        found += [(path, name) for name in names if not name.startswith("sqlite_")]
    manifest.close()
    return found


def cmd_floor(args: argparse.Namespace) -> int:
    """The floor: read every row of every table of every database of the backup, nothing else."""
    for size in (int(s) for s in args.sizes.split(",")):
        backup = ensure_input("ios-backup", size, args.seed)
        started = time.monotonic()
        rows = 0
        for path, table in floor_tables(backup):
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            for _ in conn.execute(f'SELECT * FROM "{table}"'):
                rows += 1
            conn.close()
        wall = time.monotonic() - started
        print(f"floor ios-backup {label(size)}: {rows} rows in {wall:.2f}s", flush=True)
        record({"kind": "floor", "records": size, "seed": args.seed, "rows": rows, "wall_seconds": wall,
                "time": time.time()})
    return 0


def cmd_contract_floor(args: argparse.Namespace) -> int:
    """The least a CPython implementation of the output contract costs on the same rows (see
    contract_floor.py), with the bare floor measured right before it."""
    for size in (int(s) for s in args.sizes.split(",")):
        backup = ensure_input("ios-backup", size, args.seed)
        cmd_floor(argparse.Namespace(sizes=str(size), seed=args.seed))
        done = subprocess.run([str(PROJECT_PYTHON), str(BENCH / "contract_floor.py"), str(backup), "--workers",
                               str(args.workers)], check=True, capture_output=True, text=True)
        result = json.loads(done.stdout)
        print(f"contract floor ios-backup {label(size)}: {result['rows']} rows, {result['timeline_rows']} timeline "
              f"rows in {result['wall_seconds']:.2f}s on {args.workers} workers", flush=True)
        record({"kind": "contract-floor", "records": size, "seed": args.seed, "time": time.time(), **result})
    return 0


def synthetic_stix(count: int) -> Path:
    path = DATA / f"synthetic-{label(count)}.stix2"
    if path.is_file():
        return path
    malware = {"type": "malware", "spec_version": "2.1", "id": "malware--00000000-0000-4000-8000-000000000000",
               "name": "BenchSynthetic", "is_family": True, "created": "2024-01-01T00:00:00Z",
               "modified": "2024-01-01T00:00:00Z"}
    objects: list[dict[str, Any]] = [malware]
    for i in range(count):
        ident = f"indicator--{i:08x}-0000-4000-8000-000000000001"
        objects.append({"type": "indicator", "spec_version": "2.1", "id": ident, "pattern_type": "stix",
                        "pattern": f"[domain-name:value = 'bench-{i:07d}.invalid-example.net']",
                        "valid_from": "2024-01-01T00:00:00Z", "created": "2024-01-01T00:00:00Z",
                        "modified": "2024-01-01T00:00:00Z"})
        objects.append({"type": "relationship", "spec_version": "2.1", "id": f"relationship--{i:08x}-0000-4000-8000-"
                        "000000000002", "relationship_type": "indicates", "source_ref": ident,
                        "target_ref": objects[0]["id"], "created": "2024-01-01T00:00:00Z",
                        "modified": "2024-01-01T00:00:00Z"})
    path.write_text(json.dumps({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000003",
                                "objects": objects}), encoding="utf-8")
    return path


def run_artifact_seconds(out: Path) -> float:
    """Sum of the per-artifact durations spyscan records in run.json (reading, matching, writing)."""
    try:
        artifacts = json.loads((out / "run.json").read_text(encoding="utf-8")).get("artifacts", {})
    except (OSError, ValueError):
        return float("nan")
    return float(sum(a.get("seconds") or 0.0 for a in artifacts.values()))


def cmd_indicators(args: argparse.Namespace) -> int:
    """Same input, the bundled feeds plus N synthetic (never matching) domain indicators."""
    source = ensure_input(args.kind, args.size, args.seed)
    for count in (int(c) for c in args.counts.split(",")):
        iocs = [*feed_files(), synthetic_stix(count)]
        out = DATA / "out" / source.name / f"spyscan-ioc{label(count)}"
        m = measured_run("spyscan", args.kind, source, out, iocs, args.timeout, args.jobs)
        artifact_seconds = run_artifact_seconds(out)
        print(f"indicators +{count}: {m['wall_seconds']:.1f}s tree-peak {gib(m['tree_peak_rss'])}, artifacts "
              f"(reading + matching, excl. loading the indicators) {artifact_seconds:.1f}s", flush=True)
        record({"kind": "indicators", "input": args.kind, "records": args.size, "extra_indicators": count,
                "runs": {"spyscan": m}, "artifact_seconds": artifact_seconds, "time": time.time()})
    return 0


def cmd_table(_: argparse.Namespace) -> int:
    if not RESULTS.is_file():
        print("no results yet")
        return 0
    for line in RESULTS.read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        if e["kind"] == "floor":
            print(f"floor {label(e['records'])}: {e['rows']} rows {e['wall_seconds']:.2f}s")
            continue
        if e["kind"] == "contract-floor":
            print(f"contract floor {label(e['records'])}: {e['rows']} rows, {e['timeline_rows']} timeline rows "
                  f"{e['wall_seconds']:.2f}s on {e['workers']} workers")
            continue
        runs = e["runs"]
        cells = [f"{t} {r['wall_seconds']:.1f}s cpu {r['cpu_seconds']:.0f}s {gib(r['tree_peak_rss'])} "
                 f"(single {gib(r['max_single_rss'])}) load {r.get('load_before', '?')}"
                 f"{' TIMEOUT' if r['timed_out'] else ''}{' RSS-LIMIT' if r.get('rss_limit_hit') else ''}"
                 f"{'' if r['exit_code'] in (0, 3) else ' exit ' + str(r['exit_code'])}"
                 for t, r in runs.items()]
        extra = f" +{e['extra_indicators']} iocs" if e["kind"] == "indicators" else ""
        ratio = (f" | wall {e['wall_ratio']:.3f}x rss {e['rss_ratio']:.3f}x "
                 f"cpu {e['runs']['spyscan']['cpu_seconds'] / max(0.001, e['runs']['reference']['cpu_seconds']):.3f}x"
                 if "wall_ratio" in e else "")
        print(f"{e['kind']} {label(e['records'])}{extra}: " + " | ".join(cells) + ratio)
    return 0


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{cpu}, {os.cpu_count()} CPUs, {gib(mem)} RAM, {platform.platform()}"


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("compare")
    p.add_argument("--kinds", default="ios-backup")
    p.add_argument("--sizes", default="10000,100000")
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--start-repeat", type=int, default=0,
                   help="index of the first repeat (odd: the reference runs first), to add pairs later")
    p.add_argument("--no-reference", action="store_true")
    p.add_argument("--no-spyscan", action="store_true", help="run only the reference (e.g. its 1M attempt)")
    p.add_argument("--rss-limit", type=float, help="GiB: kill a tool whose process-tree RSS exceeds this")
    p.add_argument("--timeout", type=float, default=3600)
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("floor")
    p.add_argument("--sizes", default="100000")
    p.set_defaults(func=cmd_floor)
    p = sub.add_parser("contract-floor")
    p.add_argument("--sizes", default="100000")
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(func=cmd_contract_floor)
    p = sub.add_parser("indicators")
    p.add_argument("--kind", default="ios-backup")
    p.add_argument("--size", type=int, default=100000)
    p.add_argument("--counts", default="10000,100000")
    p.add_argument("--timeout", type=float, default=3600)
    p.set_defaults(func=cmd_indicators)
    p = sub.add_parser("table")
    p.set_defaults(func=cmd_table)
    p = sub.add_parser("machine")
    p.set_defaults(func=lambda _: print(machine()) or 0)
    for name in ("compare", "indicators"):
        sub.choices[name].add_argument("--jobs", type=int, default=0, help="spyscan --jobs (0: one per core)")
    for name in ("compare", "floor", "contract-floor", "indicators"):
        sub.choices[name].add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
