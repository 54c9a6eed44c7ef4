"""Conversion faults: a stored value that could not become a record field.

A value that cannot be converted (a date out of range, a bad number, text that is not a time, a wrong
type) costs that field only: the converter returns None, the artifact keeps the stored value in the
record's ``*_raw`` field, and the fault is noted here. The engine collects the faults of each artifact
(``collecting()``) and turns them into one warning line for that artifact.

Every converter of stored values is declared with ``@converter``: the decorator catches the exception
classes a conversion can raise (``CONVERSION_ERRORS``: arithmetic overflow, ``ValueError`` and its
``UnicodeError``, ``TypeError``, ``LookupError``) and turns them into a fault, so that no artifact has to
guard each call; ``CONVERTERS`` lists them all for the property tests.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

CONVERSION_ERRORS: tuple[type[Exception], ...] = (ArithmeticError, ValueError, TypeError, LookupError)

# what was wrong, as shown in the warning
TIME_RANGE = "time out of range"
TIME_TEXT = "unreadable time"
TIME_EARLY = "time before the platform existed"
NUMBER = "not a number"
NUMBER_RANGE = "number out of range"
WRONG_TYPE = "value of the wrong type"
BROKEN = "value that could not be converted"

_SAMPLE = 48  # characters of the first faulty value shown per fault kind


class FaultLog:
    """Faults noted while one artifact runs: a count and a first example per kind."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.samples: dict[str, str] = {}

    def note(self, what: str, raw: object) -> None:
        count = self.counts.get(what)
        if count is None:
            self.counts[what] = 1
            self.samples[what] = _sample(raw)
        else:
            self.counts[what] = count + 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def warnings(self) -> list[str]:
        """One line naming every kind of fault with its count and a first example (empty when none)."""
        if not self.counts:
            return []
        parts = [f"{what} ×{count} (e.g. {self.samples[what]})" for what, count in sorted(self.counts.items())]
        return [f"{self.total} stored value(s) could not be converted; those fields are left empty and the "
                f"raw values kept: {'; '.join(parts)}"]


def _sample(raw: object) -> str:
    try:
        text = repr(raw)
    except Exception:  # a repr that fails must not turn one fault into a crash
        text = f"<{type(raw).__name__}>"
    return text if len(text) <= _SAMPLE else text[:_SAMPLE] + "…"


_ACTIVE: list[FaultLog] = []


def note(what: str, raw: object) -> None:
    """Note one fault for the artifact running now (nothing happens outside ``collecting()``)."""
    if _ACTIVE:
        _ACTIVE[-1].note(what, raw)


@contextlib.contextmanager
def collecting() -> Iterator[FaultLog]:
    """Collect the faults noted inside the block (the engine wraps each artifact in one)."""
    log = FaultLog()
    _ACTIVE.append(log)
    try:
        yield log
    finally:
        _ACTIVE.remove(log)


F = TypeVar("F", bound=Callable[..., Any])
CONVERTERS: dict[str, Callable[..., Any]] = {}  # qualified name -> converter (for the property tests)


def _takes_one(func: Callable[..., Any]) -> bool:
    """True when ``func`` takes exactly one positional argument and nothing else."""
    params = list(inspect.signature(func).parameters.values())
    return len(params) == 1 and params[0].kind in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD)


def converter(func: F) -> F:
    """Declare a converter of stored values: an exception of ``CONVERSION_ERRORS`` becomes a noted fault
    and the result None. The first argument is the stored value."""

    if _takes_one(func):  # the usual case, on hot paths: no packing of arguments
        @functools.wraps(func)
        def guarded(value: object) -> Any:
            try:
                return func(value)
            except CONVERSION_ERRORS:
                note(BROKEN, value)
                return None
    else:
        @functools.wraps(func)
        def guarded(value: object, *args: Any, **kwargs: Any) -> Any:
            try:
                return func(value, *args, **kwargs)
            except CONVERSION_ERRORS:
                note(BROKEN, value)
                return None

    CONVERTERS[f"{func.__module__}.{func.__qualname__}"] = guarded
    return guarded  # type: ignore[return-value]


def registered(func: F) -> F:
    """Declare a converter that only hands its value to guarded converters (so needs no wrapper of its
    own, which matters on hot paths); it is listed in ``CONVERTERS`` for the property tests."""
    CONVERTERS[f"{func.__module__}.{func.__qualname__}"] = func
    return func
