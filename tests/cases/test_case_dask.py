"""`hunt --scheduler`: the same per-run function on a real Dask cluster gives the same results as locally.

A `dask scheduler` and two `dask worker` processes are started on 127.0.0.1 and always torn down.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from spyscan.cases.hunt import HuntOptions, run_hunt
from spyscan.cases.store import CaseStore

DASK = Path(sys.executable).parent / "dask"
STARTUP_SECONDS = 25


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    if not DASK.exists():
        pytest.skip(f"the dask command line is not installed next to {sys.executable}")
    scheduler_file = tmp_path / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "True", "PYTHONWARNINGS": "ignore"}
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    processes: list[subprocess.Popen[bytes]] = []

    def start(args: list[str], name: str) -> None:
        log = (logs / f"{name}.log").open("wb")
        processes.append(subprocess.Popen([str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, env=env,
                                          cwd=tmp_path))

    try:
        start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
               "--scheduler-file", str(scheduler_file)], "scheduler")
        deadline = time.monotonic() + STARTUP_SECONDS
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        if not scheduler_file.exists():
            pytest.fail("the dask scheduler did not start: " + (logs / "scheduler.log").read_text(errors="replace"))
        address = json.loads(scheduler_file.read_text())["address"]
        for number in (1, 2):
            start(["worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1", "--nworkers", "1",
                   "--no-dashboard", "--host", "127.0.0.1", "--local-directory", str(tmp_path / f"w{number}")],
                  f"worker{number}")
        import distributed

        with distributed.Client(address, timeout=STARTUP_SECONDS) as client:
            client.wait_for_workers(2, timeout=STARTUP_SECONDS)
        yield address
    finally:
        for process in reversed(processes):
            _stop(process)


def _store(path: Path, outputs: list[tuple[str, Path]]) -> CaseStore:
    store = CaseStore(path)
    store.new_case("c")
    for device, output in outputs:
        store.add_run("c", output, device=device)
    return store


def test_dask_cluster_results_equal_local_run(tmp_path: Path, make_run: Callable[[str], Path], new_iocs: Path,
                                              dask_cluster: str) -> None:
    outputs = [(f"phone-{i}", make_run(f"r{i}")) for i in range(4)]
    local = run_hunt(_store(tmp_path / "s1" / "cases.sqlite", outputs),
                     HuntOptions(output=tmp_path / "local", iocs=[new_iocs], bundled=False, jobs=1))
    remote_store = _store(tmp_path / "s2" / "cases.sqlite", outputs)
    remote = run_hunt(remote_store, HuntOptions(output=tmp_path / "dask", iocs=[new_iocs], bundled=False,
                                                scheduler=dask_cluster))
    assert remote.exit_code == local.exit_code == 3
    assert remote.file.problems == []

    def shape(path: Path) -> list[tuple[str, list[str]]]:
        doc = json.loads((path / "hunt.json").read_text())
        return [(r["device"], sorted(d["id"] for d in r["new"])) for r in doc["runs"]]

    assert shape(tmp_path / "dask") == shape(tmp_path / "local")
    assert len(shape(tmp_path / "dask")) == 4 and all(len(ids) == 3 for _, ids in shape(tmp_path / "dask"))
    again = run_hunt(remote_store, HuntOptions(output=tmp_path / "dask2", iocs=[new_iocs], bundled=False,
                                               scheduler=dask_cluster))
    assert again.file.runs == [] and again.exit_code == 0


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path, make_run: Callable[[str], Path],
                                                new_iocs: Path) -> None:
    from spyscan.errors import SpyscanError

    store = _store(tmp_path / "s" / "cases.sqlite", [("d", make_run("r"))])
    with pytest.raises(SpyscanError, match="cannot reach the Dask scheduler"):
        run_hunt(store, HuntOptions(output=tmp_path / "h", iocs=[new_iocs], bundled=False,
                                    scheduler="tcp://127.0.0.1:9", scheduler_timeout=1.0), None)
    shutil.rmtree(tmp_path / "h", ignore_errors=True)
