"""The run's private work folder and its handling of Ctrl-C, SIGTERM and SIGHUP.

Before the artifacts run, a signal stops the run at once (``Interrupted``: nothing was written).
While they run, a signal asks them to stop (``pool.StopFlag``): the run then writes what it has, with
``run.json`` saying ``"status": "interrupted"``. While the outputs are written, a first signal is
noted and a second one stops at once.
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from spyscan.engine.pool import StopFlag
from spyscan.errors import Interrupted
from spyscan.evidence import stop

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
PREPARE, RUN, WRITE = "prepare", "run", "write"


class RunSignals:
    """Signal handling of one run (installed only in the main thread; elsewhere signals keep their handlers)."""

    def __init__(self) -> None:
        self.phase = PREPARE
        self.flag = StopFlag()
        self.signum: int | None = None
        self._old: dict[int, Any] = {}

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        first = self.signum is None
        self.signum = self.signum or signum
        if self.phase == PREPARE or (self.phase == WRITE and not first):
            raise Interrupted(signum)
        self.flag.set("interrupted")
        stop.request("interrupted")  # jobs running in this process (no fork) stop between records

    def __enter__(self) -> RunSignals:
        for sig in SIGNALS:
            with contextlib.suppress(ValueError, OSError):  # not in the main thread
                self._old[sig] = signal.signal(sig, self._on_signal)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)
        stop.reset()


@contextlib.contextmanager
def work_folder(parent: Path | None = None) -> Iterator[Path]:
    """A private (0700) folder for copies and extractions, removed at the end whatever happens."""
    path = Path(tempfile.mkdtemp(prefix="spyscan-work-", dir=parent))

    def cleanup() -> None:
        shutil.rmtree(path, ignore_errors=True)

    atexit.register(cleanup)  # last resort: the process ends without leaving the with-block
    try:
        yield path
    finally:
        cleanup()
        atexit.unregister(cleanup)
