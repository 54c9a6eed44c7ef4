"""Running jobs: one forked process per job, at most ``workers`` at a time, each with a time budget.

A process per job (rather than a pool of long-lived workers) means a job can be stopped on its own:

* its time budget: the job's process is given a timer; when it rings, the job's reads are asked to
  stop (``evidence.stop``: the SQLite progress handler and open connections are interrupted) and the
  record loop ends with status ``timeout``, keeping what it read. If the process is still busy
  ``GRACE`` seconds later (stuck in a C call that nothing interrupts), it is killed and reported as
  ``timeout``; its records file keeps the records already written;
* a stop of the whole run (Ctrl-C, SIGTERM): running jobs are asked to stop the same way, jobs not
  started are reported ``not_run``;
* a crash of one job (a segfault in a C library, the kernel's out-of-memory killer) costs that job only.

Where ``fork`` is not available, jobs run one after the other in this process, with the same budgets
checked between records.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import FrameType

from spyscan.engine.outcome import ArtifactOutcome, failed_outcome
from spyscan.evidence import stop
from spyscan.texts import tr

GRACE = 15.0  # seconds a job has to end by itself after its budget or a stop request, before it is killed
POLL = 0.2


@dataclass(frozen=True)
class Job:
    id: str
    title: str
    source: str  # jobs.ARTIFACT or jobs.STORE
    budget: float | None  # seconds, None: no time budget


Runner = Callable[[Job, float | None], ArtifactOutcome]  # (job, monotonic deadline) -> outcome


class StopFlag:
    """Set by the run's signal handlers; the pool stops starting jobs and asks running ones to stop."""

    def __init__(self) -> None:
        self.reason: str | None = None

    def set(self, reason: str = "interrupted") -> None:
        if self.reason is None:
            self.reason = reason


@dataclass
class _Running:
    job: Job
    pid: int
    conn: Connection
    started: float
    deadline: float | None
    asked: float | None = None  # when the job was asked to stop (budget or run stop)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def run_jobs(jobs: list[Job], workers: int, runner: Runner, flag: StopFlag,
             done: Callable[[ArtifactOutcome], None] | None = None,
             records_dir: Path | None = None) -> list[ArtifactOutcome]:
    """Run every job; return their outcomes (jobs never started are ``not_run`` when the run stopped).

    ``records_dir`` is where jobs write their records (to count what a killed job had kept)."""
    if can_fork():
        outcomes = _run_forked(jobs, max(1, workers), runner, flag, done, records_dir)
    else:
        outcomes = _run_here(jobs, runner, flag, done)
    outcomes.sort(key=lambda o: o.id)
    return outcomes


def _deadline(job: Job, now: float) -> float | None:
    return now + job.budget if job.budget else None


def _run_here(jobs: list[Job], runner: Runner, flag: StopFlag,
              done: Callable[[ArtifactOutcome], None] | None) -> list[ArtifactOutcome]:
    outcomes = []
    for job in jobs:
        if flag.reason is not None:
            outcome = failed_outcome(job.id, job.title, "not_run", tr("the check was interrupted before this ran"))
        else:
            outcome = runner(job, _deadline(job, time.monotonic()))
        outcomes.append(outcome)
        if done is not None:
            done(outcome)
    return outcomes


def _child(job: Job, runner: Runner, conn: Connection) -> None:
    """In the job's process: stop requests and the time budget become ``evidence.stop`` requests."""

    def on_stop(signum: int, frame: FrameType | None) -> None:
        stop.request("interrupted")

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        stop.request("timeout")

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_stop)
    # the indicator index and everything else inherited is never rescanned by the collector while the
    # job reads millions of records
    gc.freeze()
    signal.signal(signal.SIGALRM, on_alarm)
    now = time.monotonic()
    deadline = _deadline(job, now)
    if job.budget:
        signal.setitimer(signal.ITIMER_REAL, job.budget)
    try:
        outcome = runner(job, deadline)
    except BaseException as exc:  # the runner catches everything it can; this is the last resort
        outcome = failed_outcome(job.id, job.title, "error", f"{type(exc).__name__}: {exc}"[:500],
                                 time.monotonic() - now)
    signal.setitimer(signal.ITIMER_REAL, 0)
    conn.send_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    conn.close()


def _start(job: Job, runner: Runner) -> _Running:
    receiver, sender = multiprocessing.Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # the job's process
        status = 0
        try:
            receiver.close()
            _child(job, runner, sender)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    sender.close()
    now = time.monotonic()
    return _Running(job=job, pid=pid, conn=receiver, started=now, deadline=_deadline(job, now))


def _reap(run: _Running, outcome: ArtifactOutcome | None, reason: str | None,
          records_dir: Path | None) -> ArtifactOutcome:
    """Wait for the job's process; the outcome it sent, or one saying why there is none."""
    _, wait_status = os.waitpid(run.pid, 0)
    run.conn.close()
    if outcome is not None:
        return outcome
    seconds = time.monotonic() - run.started
    if reason == "timeout":
        return failed_outcome(run.job.id, run.job.title, "timeout",
                              tr("stopped after %(seconds)s s: it ran past its time budget and did not stop by itself; "
                                 "the records written before are kept, its detections are not",
                                 seconds=format(seconds, ".0f")),
                              seconds, _count_lines(records_dir, run.job.id))
    if reason is not None:
        return failed_outcome(run.job.id, run.job.title, "interrupted",
                              tr("the check was interrupted while this artifact was being read"), seconds,
                              _count_lines(records_dir, run.job.id))
    if os.WIFSIGNALED(wait_status):
        why = tr("its process was killed by signal %(signal)s", signal=os.WTERMSIG(wait_status))
    else:
        why = tr("its process ended with status %(status)s without a result", status=os.WEXITSTATUS(wait_status))
    return failed_outcome(run.job.id, run.job.title, "error", tr("the artifact could not finish: %(why)s", why=why),
                          seconds)


def _count_lines(records_dir: Path | None, job: str) -> int:
    """Records a killed job had written (whole lines of its records file)."""
    if records_dir is None:
        return 0
    try:
        with (records_dir / f"{job}.jsonl").open("rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return 0


def _run_forked(jobs: list[Job], workers: int, runner: Runner, flag: StopFlag,
                done: Callable[[ArtifactOutcome], None] | None, records_dir: Path | None) -> list[ArtifactOutcome]:
    pending = list(jobs)
    running: dict[int, _Running] = {}  # by file descriptor of its pipe
    outcomes: list[ArtifactOutcome] = []
    reasons: dict[int, str] = {}  # pid -> why it was asked to stop

    def finish(outcome: ArtifactOutcome) -> None:
        outcomes.append(outcome)
        if done is not None:
            done(outcome)

    try:
        while pending or running:
            while pending and len(running) < workers and flag.reason is None:
                job = pending.pop(0)
                run = _start(job, runner)
                running[run.conn.fileno()] = run
            if flag.reason is not None:
                for job in pending:
                    finish(failed_outcome(job.id, job.title, "not_run",
                                          tr("the check was interrupted before this ran")))
                pending.clear()
            for conn in wait([r.conn for r in running.values()], timeout=POLL):
                assert isinstance(conn, Connection)
                run = running.pop(conn.fileno())
                outcome: ArtifactOutcome | None
                try:
                    outcome = pickle.loads(conn.recv_bytes())  # noqa: S301 - our own forked child's result
                except (EOFError, OSError, pickle.UnpicklingError):
                    outcome = None
                finish(_reap(run, outcome, reasons.pop(run.pid, None), records_dir))
            now = time.monotonic()
            for run in running.values():
                if run.asked is None:
                    if flag.reason is not None:
                        reasons[run.pid] = flag.reason
                    elif run.deadline is not None and now > run.deadline:
                        reasons[run.pid] = "timeout"  # its own timer should have stopped it: ask again
                    else:
                        continue
                    run.asked = now
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(run.pid, signal.SIGTERM if reasons[run.pid] != "timeout" else signal.SIGALRM)
                elif now - run.asked > GRACE:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(run.pid, signal.SIGKILL)
    finally:
        for run in running.values():  # an exception in the run itself: leave no process behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(run.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(run.pid, 0)
    return outcomes
