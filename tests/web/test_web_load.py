"""Load: 50 concurrent page loads while two checks run; every answer is right, and the checks' results are the
same as those of `spyscan check` on the same inputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from spyscan.cases.store import CaseStore
from tests.web import live
from tests.web.conftest import big_sample, user_env

ENTRIES = 60_000  # files.json entries of each acquisition: a check of several seconds
LOADS = 50


def _comparable(folder: Path) -> dict[str, object]:
    """What a check found and how, without what differs between two runs (times, paths, the command)."""
    run = json.loads((folder / "run.json").read_text())
    detections = json.loads((folder / "detections.json").read_text())["detections"]
    return {
        "status": run["status"], "verdict": run["verdict"], "exit_code": run["exit_code"], "kind": run["kind"],
        "device": run["device"], "detections_by_severity": run["detections"],
        "inputs": run["inputs"], "indicators": run["indicators"],
        "artifacts": {k: (v["status"], v["records"], v["warnings"], v["error"]) for k, v in run["artifacts"].items()},
        "detections": detections,
        "timeline": (folder / "timeline.csv").read_bytes(),
        "detections_timeline": (folder / "detections_timeline.csv").read_bytes(),
    }


def test_fifty_page_loads_while_two_checks_run(tmp_path_factory: pytest.TempPathFactory) -> None:
    base = tmp_path_factory.mktemp("load")
    root = base / "root"
    samples = [big_sample(root / f"phone-{n}", ENTRIES) for n in (1, 2)]
    server = live.start(base, [root], env=user_env(base), jobs=1)
    try:
        client = server.client()
        case_id = client.create_case("load")
        jobs = [client.start_check(case_id, sample, sample.name) for sample in samples]
        for job in jobs:
            assert client.wait_job(f"/checks/{job}", until=("running",)) == "running"
        pages = [("/", "load"), (f"/cases/{case_id}", 'id="case-name"'), (f"/checks/{jobs[0]}", "phone-1"),
                 (f"/checks/{jobs[1]}", "phone-2"), ("/checks", 'id="jobs-table"'), ("/hunt", 'id="hunt-form"'),
                 (f"/browse?path={root}", "phone-2"), ("/static/htmx.min.js", "htmx")]

        def load(n: int) -> tuple[int, bool, float]:
            path, marker = pages[n % len(pages)]
            started = time.monotonic()
            reply = client.get(path)
            return reply.status, marker in reply.text, time.monotonic() - started

        started = time.monotonic()
        with ThreadPoolExecutor(LOADS) as pool:
            results = list(pool.map(load, range(LOADS)))
        elapsed = time.monotonic() - started
        states = [client.wait_job(f"/checks/{job}", until=("running", "done")) for job in jobs]
        assert [(status, ok) for status, ok, _ in results] == [(200, True)] * LOADS
        assert states == ["running", "running"], "the page loads did not happen while both checks ran"
        print(f"\n{LOADS} concurrent page loads while two checks ran: {elapsed:.2f} s in all, "
              f"slowest {max(r[2] for r in results):.2f} s")
        for job in jobs:
            assert client.wait_job(f"/checks/{job}", timeout=300) == "done"
        run_ids = [client.run_of_check(job) for job in jobs]
    finally:
        server.stop()

    env = {**os.environ, **user_env(base)}
    cli = [subprocess.Popen([sys.executable, "-m", "spyscan", "check", str(sample), "-o", str(base / f"cli-{n}"),
                             "-q", "-j", "1"], env=env) for n, sample in enumerate(samples)]
    assert [p.wait(300) for p in cli] == [3, 3]
    with CaseStore(server.store) as store:
        folders = [Path(store.run(run_id).output) for run_id in run_ids]
    for n, folder in enumerate(folders):
        assert _comparable(folder) == _comparable(base / f"cli-{n}")
