"""User-facing errors and the exit codes of the command line."""

from __future__ import annotations

EXIT_CLEAN = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_DETECTIONS = 3
EXIT_INCOMPLETE = 4  # finished, but a part that could hold traces was not fully checked


class SpyscanError(Exception):
    """An error with a one-line message meant for the person running spyscan.

    The command line prints the message (never a traceback) and exits with ``exit_code``.
    """

    exit_code = EXIT_FAILED


class UsageError(SpyscanError):
    exit_code = EXIT_USAGE


class EvidenceError(SpyscanError):
    """An input cannot be read (missing, unreadable, unsafe archive, wrong password)."""


class ArtifactNotFound(Exception):
    """Raised by an artifact when the evidence does not contain what it reads."""


class IndicatorError(SpyscanError):
    """An indicator file cannot be loaded at all."""


class BudgetExceeded(Exception):
    """A read of the evidence went past one of its budgets (time, rows, size, depth, disk).

    Raised inside an artifact (by the evidence layer: a SQLite statement past its progress budget, a
    record ceiling, a time budget). The artifact keeps the records it produced before, and the engine
    gives it the status named here: ``timeout`` (a time budget) or ``truncated`` (a size, row or
    depth ceiling). Either makes the check incomplete unless a high or critical detection was found.
    """

    def __init__(self, message: str, status: str = "truncated") -> None:
        super().__init__(message)
        self.status = status


class Interrupted(BaseException):
    """The run was stopped by a signal (Ctrl-C, SIGTERM, SIGHUP) before anything was written.

    A BaseException, like KeyboardInterrupt: code that catches ``Exception`` (a parser's clean-up, a
    tolerant reader) must never swallow it.
    """

    exit_code: int

    def __init__(self, signum: int) -> None:
        import signal

        from spyscan.texts import tr

        name = signal.Signals(signum).name if signum in signal.Signals._value2member_map_ else str(signum)
        super().__init__(tr("interrupted (%(signal)s) before the check started; nothing was written", signal=name))
        self.exit_code = 128 + signum
