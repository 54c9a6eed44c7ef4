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


def _matching_kinds(path: Path) -> list[str]:
    found = []
    for cls in sorted(all_kinds().values(), key=lambda c: (c.priority, c.kind)):
        try:
            if cls.detect(path):
                found.append(cls.kind)
        except OSError:
            continue
    return found


def detect_kind(path: Path) -> str:
    """The kind of the input at ``path``, decided by the evidence first.

    A folder is a results folder (re-checked from its stored records) only when no evidence kind
    recognises it; a folder that both an evidence kind and the results reading recognise is refused
    with a message naming both, so that a planted ``run.json`` can never replace the evidence.
    """
    if not path.exists():
        raise UsageError(f"input not found: {path}")
    matches = _matching_kinds(path)
    results = is_results_folder(path)
    if matches and results:
        raise UsageError(
            f"{path} could be read two ways: as {_label(matches[0])} (--kind {matches[0]}) or as the results "
            f"of an earlier spyscan check (it holds run.json and records/; `spyscan recheck`). Say which: "
            f"give --kind {matches[0]} to check the evidence, or use `spyscan recheck` for the results"
        )
    if matches:
        return matches[0]
    if results:
        return RESULTS_KIND
    raise UsageError(
        f"spyscan does not recognise {path} as an acquisition it can read. Give the acquisition itself: "
        f"{_key_files_help()}. `spyscan kinds` lists what each kind needs"
    )


def check_kind(path: Path, kind: str) -> str:
    """``kind`` when the input has that kind's key files; else a UsageError naming what it looks like."""
    if kind == RESULTS_KIND:
        return kind
    cls = evidence_class(kind)
    try:
        if cls.detect(path):
            return kind
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    others = [k for k in _matching_kinds(path) if k != kind]
    looks = (f"It looks like {_label(others[0])}: use --kind {others[0]}, or leave --kind out"
             if others else "It does not look like any kind of acquisition spyscan reads")
    raise UsageError(
        f"{path} is not {_label(kind)}: {cls.key_files or 'its key files are missing'}. {looks}. "
        f"Nothing was checked"
    )


def _label(kind: str) -> str:
    if kind == RESULTS_KIND:
        return "spyscan results"
    cls = all_kinds().get(kind)
    return f"{cls.label} ({kind})" if cls is not None and cls.label else kind


def _key_files_help() -> str:
    return "; ".join(f"{cls.kind}: {cls.key_files}" for cls in sorted(all_kinds().values(), key=lambda c: c.kind)
                     if cls.key_files)


def evidence_class(kind: str) -> type[Evidence]:
    kinds = all_kinds()
    if kind not in kinds:
        raise UsageError(f"unknown kind {kind!r}; known kinds: {', '.join(kind_names())}")
    return kinds[kind]
