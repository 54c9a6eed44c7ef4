"""Spyscan errors inside sub-commands become one-line click errors with the right exit code."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from spyscan.errors import EXIT_USAGE, SpyscanError

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Turn spyscan errors into click errors: one line, no traceback, the error's exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SpyscanError as exc:
            if exc.exit_code == EXIT_USAGE:
                raise click.UsageError(str(exc)) from None
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]
