"""The artifact contract.

An artifact declares its id, the input kinds it applies to, its record types and a ``collect``
generator. It does no detection and no output: the engine feeds its records to the detection
pipeline and the writers. ``collect`` raises ``ArtifactNotFound`` when the evidence lacks what it
reads, and reports anything odd through ``ArtifactLog.warn``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import ClassVar

from spyscan.evidence.base import Evidence
from spyscan.records.base import Record
from spyscan.records.device import ARTIFACT_FACTS
from spyscan.texts import tr

MAX_WARNINGS = 1000  # warnings kept per artifact (the last one counts the rest)


class ArtifactLog:
    """Per-run notes of one artifact: warnings and whether data was recovered."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.dropped_warnings = 0
        self.recovered = False
        self.truncated: str | None = None  # why a part was not read (a budget), when one was skipped
        self.facts: dict[str, object] = {}
        self.unread: list[str] = []

    def fact(self, name: str, value: object) -> None:
        """A fact about the device read by this artifact (``run.json`` ``device``; see records/device.py)."""
        expected = ARTIFACT_FACTS.get(name)
        if expected is None or not isinstance(value, expected):
            raise ValueError(f"unknown device fact {name!r} or wrong type {type(value).__name__}")
        self.facts[name] = value

    def warn(self, message: str) -> None:
        """A one-line warning; past ``MAX_WARNINGS`` they are counted, and the last line says how many more."""
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
            return
        self.dropped_warnings += 1
        more = self.dropped_warnings + 1
        self.warnings[-1] = tr("... and %(more)s more warnings (the first %(shown)s are above)", more=more,
                               shown=MAX_WARNINGS - 1)

    def mark_recovered(self, message: str) -> None:
        self.recovered = True
        self.warn(message)

    def mark_unread(self, message: str) -> None:
        """Part of what the artifact should read was refused (a view planted where a table is expected...):
        the artifact ends ``error`` with this message, and the check is incomplete."""
        self.unread.append(message)
        self.warn(message)

    def mark_truncated(self, message: str) -> None:
        """A part of the input was skipped because it went past a budget (a structure nested too deep, too
        many objects, a line too long) while the artifact went on with the rest: its status becomes
        ``truncated`` (the check is incomplete). To stop the artifact instead, raise ``BudgetExceeded``."""
        if self.truncated is None:
            self.truncated = message
        self.warn(message)


class Artifact:
    id: ClassVar[str] = ""  # "<platform>.<name>", unique
    kinds: ClassVar[tuple[str, ...]] = ()  # input kinds this artifact runs on
    title: ClassVar[str] = ""  # short human title
    records: ClassVar[tuple[type[Record], ...]] = ()  # record types it yields
    # False for artifacts that only describe the device (versions, identifiers): their failure does not
    # make the check incomplete
    holds_traces: ClassVar[bool] = True
    # what it means when the evidence lacks this artifact's data: "missing" (the acquisition should have
    # it; the report says what to ask for) or "not_applicable" (e.g. the app is not installed)
    absent_means: ClassVar[str] = "missing"
    # the device data it reads when other inputs can hold the same copy ("dumpsys:package", "getprop",
    # "settings", "processes", "mounts"): in a nested input (the bugreport inside an androidqf
    # acquisition) it is not run when the parent input holds that data itself (``Evidence.holds``)
    same_data: ClassVar[str] = ""

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Record]:
        raise NotImplementedError  # pragma: no cover - abstract


_PACKAGES = ("spyscan.artifacts.ios", "spyscan.artifacts.android")
IMPORT_ERRORS: dict[str, str] = {}  # module -> error, for modules that could not be loaded
_imported = False


def _import_all() -> None:
    """Import every artifact module once; a module that fails to load is recorded, not fatal."""
    global _imported
    if _imported:
        return
    for package_name in _PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + ".",
                                          onerror=lambda name: IMPORT_ERRORS.setdefault(name, "cannot load")):
            try:
                importlib.import_module(info.name)
            except Exception as exc:  # one broken artifact module never stops the others
                IMPORT_ERRORS[info.name] = f"{type(exc).__name__}: {exc}"
    _imported = True


def _subclasses(cls: type[Artifact]) -> Iterator[type[Artifact]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def all_artifacts() -> dict[str, type[Artifact]]:
    """Every concrete artifact by id (imports every artifact module once)."""
    _import_all()
    found: dict[str, type[Artifact]] = {}
    for cls in _subclasses(Artifact):
        if not cls.id or not cls.__module__.startswith("spyscan."):
            continue  # test doubles defined elsewhere never join a real run
        if cls.id in found and found[cls.id] is not cls:
            raise TypeError(f"artifact id {cls.id!r} is used twice")
        found[cls.id] = cls
    return found


def artifacts_for(kind: str) -> list[type[Artifact]]:
    return sorted((a for a in all_artifacts().values() if kind in a.kinds), key=lambda a: a.id)
