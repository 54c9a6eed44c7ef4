"""The heuristic rule contracts.

A ``Rule`` names the record types it looks at. The pipeline creates a fresh rule object for every
artifact run, calls ``check`` for each record of those types and ``finish`` once at the end (for
rules that compare records, e.g. gaps in primary keys).

A ``RunRule`` sees the records of its types from every artifact of a run (nested inputs included:
they come from the same phone), once all artifacts have run (``engine/run_rules.py``). It is for
findings that need several artifacts: an app that receives SMS *and* was installed by hand, a trace
that the acquisition tool itself left in the acquisition window. ``findings`` yields new findings
(each with the job whose record it rests on); ``review`` may change a detection the per-artifact
rules made (lower it, with the reason), never drop it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator, Sequence
from typing import ClassVar, TypeVar

import msgspec

from spyscan.detection.model import COMPROMISE, Detection, Severity
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


class RunRule:
    """A rule over the records of a whole run (see the module's doc); same attributes as ``Rule``."""

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.MEDIUM
    category: ClassVar[str] = COMPROMISE
    why: ClassVar[str] = ""
    advice: ClassVar[str] = ""
    record_types: ClassVar[tuple[type[Record], ...]] = ()

    def check(self, record: Record, job: str) -> None:
        """Take note of one record of the run (``job``: the job whose records file holds it)."""

    def findings(self, detections: Sequence[Detection]) -> Iterable[tuple[str, Finding]]:
        """New findings, each with the job it belongs to; ``detections``: what the artifacts found."""
        return ()

    def review(self, detection: Detection) -> Detection:
        """``detection`` as this rule sees it once the whole run is known (by default unchanged)."""
        return detection


_T = TypeVar("_T", "Rule", "RunRule")


def _subclasses(cls: type[_T]) -> Iterator[type[_T]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _import_rules() -> None:
    package = importlib.import_module(__package__ or "spyscan.detection.heuristics")
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)


def _shipped(base: type[_T]) -> dict[str, type[_T]]:
    _import_rules()
    found: dict[str, type[_T]] = {}
    for cls in _subclasses(base):
        if not cls.id or not cls.__module__.startswith("spyscan."):
            continue  # test doubles defined elsewhere never join a real run
        if cls.id in found and found[cls.id] is not cls:
            raise TypeError(f"rule id {cls.id!r} is used twice")
        found[cls.id] = cls
    return found


def all_rules() -> dict[str, type[Rule]]:
    return _shipped(Rule)


def all_run_rules() -> dict[str, type[RunRule]]:
    return _shipped(RunRule)
