"""The heuristic rule contract.

A rule names the record types it looks at. The pipeline creates a fresh rule object for every
artifact run, calls ``check`` for each record of those types and ``finish`` once at the end (for
rules that compare records, e.g. gaps in primary keys).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from typing import ClassVar

import msgspec

from spyscan.detection.model import COMPROMISE, Severity
from spyscan.records.base import Record


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    record: Record
    message: str
    severity: Severity | None = None  # overrides the rule's default
    observable_type: str | None = None
    observable_value: str | None = None
    category: str | None = None  # overrides the rule's category (compromise, context, protection)


class Rule:
    id: ClassVar[str] = ""  # "<platform>.<name>"
    title: ClassVar[str] = ""  # mark it with N_ (spyscan.texts): translated where shown
    severity: ClassVar[Severity] = Severity.MEDIUM
    # what the rule's findings are about (detection/model.py): "compromise" findings decide the verdict's
    # colour, "context" ones help an expert, "protection" ones are advice shown apart from the verdict
    category: ClassVar[str] = COMPROMISE
    why: ClassVar[str] = ""  # why the pattern matters, for the report (mark it with N_: translated where shown)
    advice: ClassVar[str] = ""  # protection rules: what to do, as an action (N_; under "Protect this phone")
    record_types: ClassVar[tuple[type[Record], ...]] = ()

    def check(self, record: Record) -> Iterable[Finding]:
        return ()

    def finish(self) -> Iterable[Finding]:
        return ()


def _subclasses(cls: type[Rule]) -> Iterator[type[Rule]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def all_rules() -> dict[str, type[Rule]]:
    package = importlib.import_module(__package__ or "spyscan.detection.heuristics")
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    found: dict[str, type[Rule]] = {}
    for cls in _subclasses(Rule):
        if not cls.id or not cls.__module__.startswith("spyscan."):
            continue  # test doubles defined elsewhere never join a real run
        if cls.id in found and found[cls.id] is not cls:
            raise TypeError(f"rule id {cls.id!r} is used twice")
        found[cls.id] = cls
    return found
