"""User-facing errors and the exit codes of the command line."""

from __future__ import annotations

EXIT_CLEAN = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_DETECTIONS = 3


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
