"""Asking the reading of evidence to stop, from a signal handler (time budget, Ctrl-C, SIGTERM).

A signal handler runs only between Python bytecodes: while a worker is inside a long C call (an
SQLite statement, a decompression) it would wait. So the engine's handlers call ``request``, which
sets a flag that long-running C work polls (the SQLite progress handler) and calls the registered
interrupters (``sqlite3.Connection.interrupt`` of the open evidence connections). Everything here is
safe to call from a signal handler: no locks, no allocation beyond a tuple.
"""

from __future__ import annotations

from collections.abc import Callable

_requested: str | None = None  # why: "timeout" or "interrupted"
_interrupters: dict[int, Callable[[], object]] = {}


def request(reason: str) -> None:
    """Ask every read in this process to stop as soon as it can (the first reason given is kept)."""
    global _requested
    if _requested is None:
        _requested = reason
    for interrupt in tuple(_interrupters.values()):
        try:
            interrupt()
        except Exception:  # noqa: S112 - a closed connection cannot be interrupted; the others still are
            continue


def requested() -> str | None:
    """Why a stop was requested, or None (polled by progress handlers and record loops)."""
    return _requested


def reset() -> None:
    """Forget an earlier request (a new job in this process starts)."""
    global _requested
    _requested = None


def register(key: int, interrupt: Callable[[], object]) -> None:
    """Register an interrupter (e.g. an evidence SQLite connection's ``interrupt``) under ``key`` (its id)."""
    _interrupters[key] = interrupt


def unregister(key: int) -> None:
    _interrupters.pop(key, None)
