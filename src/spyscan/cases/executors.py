"""Where the per-run hunt function runs: in this process, a local process pool, or a Dask cluster.

All three call the same :func:`spyscan.cases.hunt_run.hunt_run` and yield ``(run id, result)`` as runs
finish, in completion order.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import msgspec

from spyscan.cases.hunt_run import hunt_run
from spyscan.cases.model import HuntRunResult, TriageEvidence
from spyscan.errors import SpyscanError
from spyscan.texts import tr


class HuntTask(msgspec.Struct, frozen=True, kw_only=True):
    run_id: int
    run_dir: str
    known_ids: frozenset[str]
    run_sha256: str
    benign: dict[str, TriageEvidence] = {}  # findings triaged benign on the device: the evidence they had


class TaskSettings(msgspec.Struct, frozen=True, kw_only=True):
    indicator_paths: tuple[str, ...]
    bundled: bool
    indicator_key: str


def _call(task: HuntTask, settings: TaskSettings) -> HuntRunResult:
    return hunt_run(Path(task.run_dir), [Path(p) for p in settings.indicator_paths], settings.bundled,
                    set(task.known_ids), expected_key=settings.indicator_key,
                    expected_run_sha256=task.run_sha256, benign=task.benign)


def _failed(exc: BaseException) -> HuntRunResult:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:500]
    return HuntRunResult(status="error", message=f"worker failed: {text}")


def run_inline(tasks: Sequence[HuntTask], settings: TaskSettings) -> Iterator[tuple[int, HuntRunResult]]:
    for task in tasks:
        yield task.run_id, _call(task, settings)


def run_local(tasks: Sequence[HuntTask], settings: TaskSettings, jobs: int) -> Iterator[tuple[int, HuntRunResult]]:
    """A fork-based process pool; workers inherit the index the parent built (else build it once each)."""
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from run_inline(tasks, settings)
        return
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context)
    try:
        futures: dict[Future[HuntRunResult], int] = {pool.submit(_call, t, settings): t.run_id for t in tasks}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # a worker died (e.g. out of memory)
                result = _failed(exc)
            yield futures[future], result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask_completed(client: Any, futures: list[Any]) -> Any:
    import distributed

    completed: Any = distributed.as_completed
    return completed(futures, loop=client.loop)


def run_dask(tasks: Sequence[HuntTask], settings: TaskSettings, address: str,
             timeout: float = 30.0) -> Iterator[tuple[int, HuntRunResult]]:
    """The same function on an existing Dask distributed cluster (workers build their own index)."""
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - pinned dependency
        raise SpyscanError(tr('Dask distributed is not installed (%(error)s)', error=exc)) from None
    try:
        client_class: Any = distributed.Client
        client: Any = client_class(address, timeout=timeout, set_as_default=False)
    except Exception as exc:
        raise SpyscanError(tr('cannot reach the Dask scheduler at %(address)s: %(name)s: %(error)s', address=address,
                              name=type(exc).__name__, error=exc)) from None
    try:
        futures: dict[Any, int] = {}
        for task in tasks:
            future = client.submit(_call, task, settings, pure=False)
            futures[future] = task.run_id
        for future in _dask_completed(client, list(futures)):
            try:
                result = future.result()
            except Exception as exc:
                result = _failed(exc)
            yield futures[future], result
    finally:
        client.close()
