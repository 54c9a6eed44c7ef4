"""Input kinds: one module per kind, each defining an ``Evidence`` subclass."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

from spyscan.errors import UsageError
from spyscan.evidence.base import Evidence

RESULTS_KIND = "results"


def _subclasses(cls: type[Evidence]) -> Iterator[type[Evidence]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def all_kinds() -> dict[str, type[Evidence]]:
    for info in pkgutil.iter_modules(__path__, __name__ + "."):
        importlib.import_module(info.name)
    # only the kinds spyscan ships: test doubles elsewhere must never replace a real kind
    return {cls.kind: cls for cls in _subclasses(Evidence) if cls.kind and cls.__module__.startswith("spyscan.")}


def kind_names() -> list[str]:
    return sorted([*all_kinds(), RESULTS_KIND])


def is_results_folder(path: Path) -> bool:
    return path.is_dir() and (path / "run.json").is_file() and (path / "records").is_dir()


def detect_kind(path: Path) -> str:
    """The kind of the input at ``path``; a clear UsageError naming the kinds when unknown."""
    if not path.exists():
        raise UsageError(f"input not found: {path}")
    if is_results_folder(path):
        return RESULTS_KIND
    for cls in sorted(all_kinds().values(), key=lambda c: (c.priority, c.kind)):
        try:
            if cls.detect(path):
                return cls.kind
        except OSError:
            continue
    raise UsageError(
        f"cannot tell what kind of acquisition {path} is; give --kind, one of: {', '.join(kind_names())}"
    )


def evidence_class(kind: str) -> type[Evidence]:
    kinds = all_kinds()
    if kind not in kinds:
        raise UsageError(f"unknown kind {kind!r}; known kinds: {', '.join(kind_names())}")
    return kinds[kind]
