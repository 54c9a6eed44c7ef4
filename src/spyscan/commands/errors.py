"""Spyscan errors inside sub-commands become one-line click errors with the right exit code."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from spyscan.errors import EXIT_USAGE, SpyscanError
from spyscan.texts import message_of_error as message_of

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Turn spyscan errors into click errors: one line, no traceback, the error's exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SpyscanError as exc:
            from spyscan.commands.language import words

            message = words(message_of(exc))
            if exc.exit_code == EXIT_USAGE:
                raise click.UsageError(message) from None
            raise click.ClickException(message) from None

    return wrapper  # type: ignore[return-value]
