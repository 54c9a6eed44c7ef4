"""The ``[name]: [value]`` lines of ``getprop`` output (androidqf getprop.txt, bugreport SYSTEM PROPERTIES)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_LINE = re.compile(r"^\[(?P<name>[^\]]+)\]: \[(?P<value>.*)$")


def parse_property_lines(lines: Iterable[tuple[int, str]], unparsed: list[int] | None = None
                         ) -> Iterator[tuple[int, str, str]]:
    """``(line, name, value)`` for each property; a value may continue over several lines.

    Non-blank lines that are no part of a property are appended to ``unparsed`` (when given).
    """
    pending: tuple[int, str, list[str]] | None = None
    for number, line in lines:
        if pending is not None:
            if line.endswith("]"):
                pending[2].append(line[:-1])
                yield pending[0], pending[1], "\n".join(pending[2])
                pending = None
            else:
                pending[2].append(line)
            continue
        match = _LINE.match(line)
        if not match:
            if unparsed is not None and line.strip():
                unparsed.append(number)
            continue
        value = match.group("value")
        if value.endswith("]"):
            yield number, match.group("name"), value[:-1]
        else:
            pending = (number, match.group("name"), [value])
    if pending is not None:
        yield pending[0], pending[1], "\n".join(pending[2])
