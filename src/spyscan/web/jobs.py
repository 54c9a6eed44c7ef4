"""Checks and hunts started from the app: one runner process each, watched by a thread of the server.

The state of each job is kept in memory for the page that shows it (progress per artifact, the
error, the stored run it became). What lasts is in the case store and the output folders; a job
never writes anything the CLI would not.

A check that does not end registered in the store (it failed, was cancelled, or the server closed)
leaves nothing behind: its output folder is removed and so is its private temporary folder. The
engine itself marks such a run "interrupted" or "failed" in ``run.json`` while it stops, so even a
server killed outright never leaves a folder that looks complete; the store only ever records
complete runs (``CaseStore.add_run`` refuses the others).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import secrets
import shutil
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from spyscan.indicators.storage import make_private_dir
from spyscan.timeutil import utcnow
from spyscan.web import runner
from spyscan.web.config import ServeConfig

STOP_GRACE = 25.0  # seconds a runner has to stop by itself after SIGTERM (the engine gives jobs 15)

# job states
STARTING, RUNNING, DONE, FAILED, CANCELLED, PASSWORD = "starting", "running", "done", "failed", "cancelled", "password"
FINISHED = frozenset({DONE, FAILED, CANCELLED, PASSWORD})


@dataclass
class ArtifactRow:
    id: str
    title: str
    status: str = "pending"
    records: int = 0
    error: str | None = None


@dataclass
class HuntRow:
    case: str
    device: str
    run: int
    new: int
    status: str
    message: str


@dataclass
class Job:
    id: int
    kind: str  # "check" or "hunt"
    workdir: Path
    started: str
    state: str = STARTING
    message: str = ""
    version: int = 0
    process: BaseProcess | None = None
    conn: Connection | None = None
    cancel_asked: bool = False
    outcome: str = ""  # the state the runner ended with; shown once its process is gone and cleaned up
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    def touch(self) -> None:
        self.version += 1


@dataclass
class CheckJob(Job):
    case_id: int = 0
    case: str = ""
    device: str = ""
    person: str | None = None
    input: str = ""
    input_kind: str | None = None
    output: Path = Path()
    artifacts: dict[str, ArtifactRow] = field(default_factory=dict)
    password_prompt: str = ""
    run_id: int | None = None
    replaced_by: int | None = None


@dataclass
class HuntJob(Job):
    case: str | None = None
    update_feeds: bool = False
    output: Path = Path()
    phase: str = ""  # updating, hunting
    updated_feeds: int | None = None  # feed files downloaded by the update (None: no update)
    updated_indicators: int = 0
    total: int = 0
    already: int = 0
    runs: list[HuntRow] = field(default_factory=list)
    hunt_id: int | None = None


class JobManager:
    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self._jobs: dict[int, Job] = {}
        self._lock = threading.Lock()
        self._next = 1
        self._threads: list[threading.Thread] = []
        self.stopping = threading.Event()
        self._context = multiprocessing.get_context("spawn")

    # -------------------------------------------------------------- queries
    def get(self, job_id: int) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def all(self) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: -j.id)

    def running(self) -> list[Job]:
        return [j for j in self.all() if not j.finished]

    # -------------------------------------------------------------- starting
    def _new_id(self) -> int:
        with self._lock:
            job_id = self._next
            self._next += 1
            return job_id

    def _workdir(self, job_id: int) -> Path:
        return make_private_dir(self.config.results / ".work" / f"job-{job_id}-{secrets.token_hex(4)}")

    def start_check(self, case_id: int, case: str, device: str, person: str | None, input_path: Path,
                    kind: str | None, password: str | None, lang: str) -> CheckJob:
        if self.stopping.is_set():
            raise RuntimeError("the server is closing")
        job_id = self._new_id()
        stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
        output = make_private_dir(self.config.results / f"case-{case_id}") / f"check-{stamp}-{secrets.token_hex(3)}"
        job = CheckJob(id=job_id, kind="check", workdir=self._workdir(job_id), started=stamp, case_id=case_id,
                       case=case, device=device, person=person, input=str(input_path), input_kind=kind,
                       output=output)
        request = runner.CheckRequest(
            input=str(input_path), kind=kind, output=str(output), store=str(self.config.store), case=case,
            device=device, person=person, jobs=self.config.jobs, lang=lang, workdir=str(job.workdir),
            password=password,
        )
        self._launch(job, runner.check_main, request)
        return job

    def start_hunt(self, case: str | None, update_feeds: bool) -> HuntJob:
        if self.stopping.is_set():
            raise RuntimeError("the server is closing")
        job_id = self._new_id()
        stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
        output = self.config.results / "hunts" / f"hunt-{stamp}-{secrets.token_hex(3)}"
        make_private_dir(output.parent)
        job = HuntJob(id=job_id, kind="hunt", workdir=self._workdir(job_id), started=stamp, case=case,
                      update_feeds=update_feeds, output=output)
        request = runner.HuntRequest(store=str(self.config.store), output=str(output), case=case,
                                     update_feeds=update_feeds, feed_index=self.config.feed_index,
                                     jobs=self.config.jobs, workdir=str(job.workdir))
        self._launch(job, runner.hunt_main, request)
        return job

    def _launch(self, job: Job, target: Any, request: Any) -> None:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(target=target, args=(child,), name=f"spyscan-{job.kind}-{job.id}")
        with self._lock:
            self._jobs[job.id] = job
        process.start()
        child.close()
        parent.send(request)  # the password goes through the pipe, in memory, and nowhere else
        del request
        job.process, job.conn = process, parent
        thread = threading.Thread(target=self._watch, args=(job,), name=f"watch-{job.id}", daemon=True)
        self._threads.append(thread)
        thread.start()

    # -------------------------------------------------------------- watching
    def _watch(self, job: Job) -> None:
        assert job.conn is not None and job.process is not None
        try:
            while True:
                try:
                    event = job.conn.recv()
                except (EOFError, OSError):
                    break
                with job.lock:
                    _apply(job, event)
                    job.touch()
        finally:
            job.process.join()
            with job.lock:
                state = job.outcome
                if not state:
                    state = CANCELLED if job.cancel_asked or self.stopping.is_set() else FAILED
                    job.message = job.message or _ended_without_result(job.process.exitcode)
                if job.cancel_asked and state == FAILED:
                    state = CANCELLED
                _clean(job, state)
                job.state = state  # finished only now: its folders are already gone when the page says so
                job.touch()
            job.conn.close()

    # -------------------------------------------------------------- stopping
    def cancel(self, job_id: int) -> bool:
        job = self.get(job_id)
        if job is None or job.finished or job.process is None:
            return False
        job.cancel_asked = True
        _terminate(job.process)
        return True

    def shutdown(self, timeout: float = STOP_GRACE) -> None:
        """Stop every runner (SIGTERM, then SIGKILL past ``timeout``) and wait until each is cleaned up."""
        self.stopping.set()
        jobs = self.running()
        for job in jobs:
            job.cancel_asked = True
            if job.process is not None:
                _terminate(job.process)
        deadline = time.monotonic() + timeout
        for job in jobs:
            if job.process is not None:
                job.process.join(max(0.0, deadline - time.monotonic()))
                if job.process.is_alive():
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(job.process.pid or 0, signal.SIGKILL)
                    job.process.join(5)
        for thread in self._threads:
            thread.join(10)
        shutil.rmtree(self.config.results / ".work", ignore_errors=True)


def _terminate(process: BaseProcess) -> None:
    with contextlib.suppress(ProcessLookupError, TypeError):
        os.kill(process.pid or 0, signal.SIGTERM)


def _ended_without_result(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"the process was stopped by signal {-exitcode}"
    return f"the process ended without a result (status {exitcode})"


def _clean(job: Job, state: str) -> None:
    """Leave nothing half-written: a check that is not registered loses its output folder."""
    shutil.rmtree(job.workdir, ignore_errors=True)
    if isinstance(job, CheckJob) and state != DONE:
        shutil.rmtree(job.output, ignore_errors=True)


def _apply(job: Job, event: tuple[Any, ...]) -> None:
    name = event[0]
    if name == "running":
        job.state = RUNNING
    elif isinstance(job, CheckJob):
        _apply_check(job, event)
    elif isinstance(job, HuntJob):
        _apply_hunt(job, event)


def _apply_check(job: CheckJob, event: tuple[Any, ...]) -> None:
    name = event[0]
    if name == "start":
        job.artifacts = {aid: ArtifactRow(aid, title) for aid, title in event[1]}
    elif name == "done":
        _, aid, status, records, error = event
        row = job.artifacts.setdefault(aid, ArtifactRow(aid, aid))
        row.status, row.records, row.error = status, records, error
    elif name == "registered":
        job.outcome, job.run_id = DONE, int(event[1])
    elif name == "password":
        job.outcome, job.password_prompt = PASSWORD, str(event[1])
    elif name in ("failed", "interrupted"):
        job.outcome = CANCELLED if job.cancel_asked else FAILED
        job.message = str(event[1])


def _apply_hunt(job: HuntJob, event: tuple[Any, ...]) -> None:
    name = event[0]
    if name == "updating":
        job.phase = "updating"
    elif name == "updated":
        job.phase = "updated"
        job.updated_feeds, job.updated_indicators = int(event[1]), int(event[2])
    elif name == "start":
        job.phase, job.total, job.already = "hunting", int(event[1]), int(event[2])
    elif name == "run":
        _, case, device, run_id, new, status, message = event
        job.runs.append(HuntRow(case, device, run_id, new, status, message))
    elif name == "finished":
        job.outcome, job.hunt_id = DONE, int(event[1])
    elif name in ("failed", "interrupted"):
        job.outcome = CANCELLED if job.cancel_asked else FAILED
        job.message = str(event[1])
