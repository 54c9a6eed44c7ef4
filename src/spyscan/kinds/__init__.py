"""Input kinds: one module per kind, each defining an ``Evidence`` subclass."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

from spyscan.errors import UsageError
from spyscan.evidence.base import Evidence
from spyscan.texts import tr

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
        raise UsageError(tr('input not found: %(path)s', path=path))
    matches = _matching_kinds(path)
    results = is_results_folder(path)
    if matches and results:
        raise UsageError(
            tr('%(path)s could be read two ways: as %(label)s (--kind %(matches)s) or as the results of an earlier '
               'spyscan check (it holds run.json and records/; `spyscan recheck`). Say which: give --kind '
               '%(matches)s to check the evidence, or use `spyscan recheck` for the results', path=path,
               label=_label(matches[0]), matches=matches[0])
        )
    if matches:
        return matches[0]
    if results:
        return RESULTS_KIND
    raise UsageError(
        tr('spyscan does not recognise %(path)s as an acquisition it can read. Give the acquisition itself: '
           '%(key_files_help)s. `spyscan kinds` lists what each kind needs', path=path,
           key_files_help=_key_files_help())
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
        raise UsageError(tr('cannot read %(path)s: %(value)s', path=path, value=exc.strerror or exc)) from None
    others = [k for k in _matching_kinds(path) if k != kind]
    looks = (tr("It looks like an input of the kind %(label)s: use --kind %(kind)s, or leave --kind out",
                label=_label(others[0]), kind=others[0])
             if others else tr("It does not look like any kind of acquisition spyscan reads"))
    raise UsageError(
        tr("%(path)s is not an input of the kind %(label)s: %(needs)s. %(looks)s. Nothing was checked", path=path,
           label=_label(kind), needs=tr(cls.key_files) if cls.key_files else tr("its key files are missing"),
           looks=looks)
    )


def _label(kind: str) -> str:
    if kind == RESULTS_KIND:
        return tr("spyscan results")
    cls = all_kinds().get(kind)
    return tr("%(label)s (%(kind)s)", label=tr(cls.label), kind=kind) if cls is not None and cls.label else kind


def _key_files_help() -> str:
    parts = [tr("%(kind)s: %(needs)s", kind=cls.kind, needs=tr(cls.key_files))
             for cls in sorted(all_kinds().values(), key=lambda c: c.kind) if cls.key_files]
    joined = parts[0]
    for part in parts[1:]:
        joined = tr("%(first)s; %(second)s", first=joined, second=part)
    return joined


def evidence_class(kind: str) -> type[Evidence]:
    kinds = all_kinds()
    if kind not in kinds:
        raise UsageError(tr("unknown kind '%(kind)s'; known kinds: %(items)s", kind=kind,
                            items=', '.join(kind_names())))
    return kinds[kind]
