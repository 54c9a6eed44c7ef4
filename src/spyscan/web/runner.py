"""The process a check or a hunt started from the app runs in.

The server starts one ``spawn`` process per check or hunt: the engine forks one process per artifact
and handles SIGTERM/SIGINT only in a main thread, which a web server's request never is. The runner
is that main thread. It receives its request (with the password, if any) through its pipe — never
through its command line or environment — and reports progress back through the same pipe.

The runner starts a session of its own (a Ctrl-C in the server's terminal reaches the server only,
which then stops its runners with SIGTERM), asks the kernel to send it SIGTERM if the server dies,
and keeps its temporary files in a private folder of the server's choosing, which the server
removes when the runner ends, however it ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from spyscan.engine.options import Progress
from spyscan.errors import Interrupted, SpyscanError
from spyscan.report.runfile import ArtifactStatus

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class CheckRequest:
    input: str
    kind: str | None
    output: str
    store: str
    case: str
    device: str
    person: str | None
    jobs: int
    lang: str
    workdir: str
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class HuntRequest:
    store: str
    output: str
    case: str | None
    update_feeds: bool
    feed_index: str
    jobs: int
    workdir: str


def _detach(workdir: str) -> None:
    """Own session, SIGTERM when the server dies, owner-only files, temporary files in ``workdir``."""
    with contextlib.suppress(OSError):
        os.setsid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    os.umask(0o077)
    tempfile.tempdir = workdir
    os.environ["TMPDIR"] = workdir


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """No signal cuts a registration in the store short (it takes milliseconds)."""
    held = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _one_line(text: str, secret: str | None) -> str:
    if secret:
        text = text.replace(secret, "[redacted]")
    return text.replace("\n", " ").strip()[:600]


class PipeProgress(Progress):
    """The engine's progress events, sent to the server."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def start(self, artifacts: Sequence[tuple[str, str]]) -> None:
        self.conn.send(("start", [(a, t) for a, t in artifacts]))

    def done(self, artifact: str, status: ArtifactStatus) -> None:
        self.conn.send(("done", artifact, status.status, status.records, status.error))

    def stop(self) -> None:
        """Nothing to close: the pipe belongs to the runner."""


def check_main(conn: Connection) -> None:
    """Entry point of a check's process."""
    request: CheckRequest = conn.recv()
    _detach(request.workdir)
    secret = request.password
    try:
        conn.send(("running", os.getpid()))
        conn.send(_check(request, conn))
    except Interrupted as exc:
        conn.send(("interrupted", str(exc)))
    except SpyscanError as exc:
        from spyscan.evidence.secrets import PasswordNeeded

        if isinstance(exc, PasswordNeeded):
            conn.send(("password", exc.what))
        else:
            conn.send(("failed", _one_line(str(exc), secret)))
    except Exception as exc:  # the server shows one line; never a traceback
        conn.send(("failed", _one_line(f"internal error ({type(exc).__name__}: {exc})", secret)))
    finally:
        conn.close()


def _check(request: CheckRequest, conn: Connection) -> tuple[Any, ...]:
    from spyscan.cases.store import CaseStore
    from spyscan.engine import IndicatorOptions, RunOptions, check
    from spyscan.evidence.secrets import GivenSecrets
    from spyscan.report.runfile import COMPLETE

    command = ["spyscan", "serve", "(check)", request.input, "-o", request.output]
    if request.kind:
        command += ["--kind", request.kind]
    options = RunOptions(
        output=Path(request.output), indicators=IndicatorOptions(), jobs=request.jobs, command=command,
        secrets=GivenSecrets(request.password), progress=PipeProgress(conn), lang=request.lang,
    )
    result = check(Path(request.input), request.kind, options)
    if result.run.status != COMPLETE:
        return ("interrupted", "the check was interrupted before every part was read")
    with _signals_held(), CaseStore(Path(request.store)) as store:
        run = store.add_run(request.case, result.output, device=request.device, person=request.person)
    return ("registered", run.id)


def hunt_main(conn: Connection) -> None:
    """Entry point of a hunt's process."""
    request: HuntRequest = conn.recv()
    _detach(request.workdir)
    try:
        conn.send(("running", os.getpid()))
        conn.send(_hunt(request, conn))
    except KeyboardInterrupt:
        conn.send(("interrupted", "the hunt was interrupted; runs already hunted are kept"))
    except SpyscanError as exc:
        conn.send(("failed", _one_line(str(exc), None)))
    except Exception as exc:
        conn.send(("failed", _one_line(f"internal error ({type(exc).__name__}: {exc})", None)))
    finally:
        conn.close()


def _hunt(request: HuntRequest, conn: Connection) -> tuple[Any, ...]:
    from spyscan.cases.hunt import HuntOptions, HuntProgress, run_hunt
    from spyscan.cases.model import HuntRunResult, StoredRun
    from spyscan.cases.store import CaseStore

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    if request.update_feeds:
        from spyscan.indicators.update import update_user_set

        conn.send(("updating",))
        updated = update_user_set(request.feed_index)
        if updated.failures:
            return ("failed", "the feed update failed, nothing was hunted (the previous indicator set is kept): "
                    + "; ".join(updated.failures)[:500])
        conn.send(("updated", len(updated.feeds), sum(f.indicators for f in updated.feeds)))

    class _Progress(HuntProgress):
        def start(self, total: int, already_done: int) -> None:
            conn.send(("start", total, already_done))

        def done(self, run: StoredRun, result: HuntRunResult) -> None:
            conn.send(("run", run.case, run.device, run.id, len(result.new), result.status, result.message))

    options = HuntOptions(output=Path(request.output), case=request.case, jobs=request.jobs,
                          command=["spyscan", "serve", "(hunt)"])
    with CaseStore(Path(request.store)) as store:
        result = run_hunt(store, options, _Progress())
    return ("finished", result.hunt_id, str(result.output))
