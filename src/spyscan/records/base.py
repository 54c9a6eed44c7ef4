"""The record contract.

Every artifact yields instances of ``Record`` subclasses. A subclass declares:

* ``TIMESTAMPS``: ``(field, event)`` pairs; each non-empty field (an aware UTC ``datetime``) becomes a
  timeline row describing ``event``;
* ``OBSERVABLES``: ``(field, Obs)`` pairs; each value of the field (a string, or a list/tuple of strings)
  is matched against the indicators of that observable type.

Records are msgspec Structs tagged with a unique ``record_type`` so that stored records
(``records/<artifact>.jsonl``) decode back to the same typed objects for ``recheck``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import ClassVar, NamedTuple

import msgspec

from spyscan.observables import Obs


class SourceRef(msgspec.Struct, frozen=True, omit_defaults=True, kw_only=True):
    """Where in the evidence a record comes from."""

    file: str  # path relative to the input (or backup domain + relative path)
    table: str | None = None
    rowid: int | None = None
    line: int | None = None
    key: str | None = None  # JSON/plist key or section name

    def describe(self) -> str:
        if self.line is None and self.key is None and self.table is not None and self.rowid is not None:
            return f"{self.file}, table {self.table}, row {self.rowid}"  # a database row: the usual case
        parts = [self.file]
        if self.table is not None:
            parts.append(f"table {self.table}")
        if self.rowid is not None:
            parts.append(f"row {self.rowid}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.key is not None:
            parts.append(f"key {self.key}")
        return ", ".join(parts)


class Record(msgspec.Struct, frozen=True, kw_only=True, tag_field="record_type", gc=False):
    """Base of every record. Subclasses must pass ``tag="<unique.name>"`` in the class statement.

    Records hold only strings, numbers, datetimes and lists of those, so they can never form reference
    cycles: ``gc=False`` keeps millions of them out of the cyclic garbage collector's scans.
    """

    source: SourceRef
    recovered: bool = False  # True when the row came from a recovered (corrupt) database

    TIMESTAMPS: ClassVar[tuple[tuple[str, str], ...]] = ()
    OBSERVABLES: ClassVar[tuple[tuple[str, Obs], ...]] = ()

    @classmethod
    def record_type(cls) -> str:
        tag = cls.__struct_config__.tag
        assert isinstance(tag, str)
        return tag

    def summary(self) -> str:
        """One line describing the record for the timeline; subclasses refine it."""
        shown = []
        for name in self.__struct_fields__:
            if name in ("source", "recovered"):
                continue
            value = getattr(self, name)
            if value is None or value == "" or isinstance(value, datetime):
                continue
            if isinstance(value, list | tuple):
                if not value:
                    continue
                value = ",".join(str(v) for v in value[:5])
            shown.append(f"{name}={value}")
            if len(shown) == 4:
                break
        return " ".join(shown)


def _all_subclasses(cls: type[Record]) -> Iterator[type[Record]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def record_types() -> dict[str, type[Record]]:
    """All record types by tag (import ``spyscan.artifacts`` first so that they are defined).

    Checks the contract: every type has a unique tag and declares only fields it has.
    """
    found: dict[str, type[Record]] = {}
    for cls in _all_subclasses(Record):
        tag = cls.__struct_config__.tag
        if not isinstance(tag, str):
            raise TypeError(f"{cls.__name__} must declare tag='<unique.name>'")
        if tag in found and found[tag] is not cls:
            raise TypeError(f"record tag {tag!r} is used twice ({found[tag].__name__}, {cls.__name__})")
        fields = set(cls.__struct_fields__)
        for field, _ in (*cls.TIMESTAMPS, *cls.OBSERVABLES):
            if field not in fields:
                raise TypeError(f"{cls.__name__} declares unknown field {field!r}")
        found[tag] = cls
    return found


class RecordPlan(NamedTuple):
    """A record class's declared fields, read with one C call per record (see ``plan_for``)."""

    timestamps: Callable[[Record], tuple[object, ...]]  # values of the TIMESTAMPS fields, in order
    events: tuple[str, ...]
    observables: Callable[[Record], tuple[object, ...]]  # values of the OBSERVABLES fields, in order
    observable_fields: tuple[tuple[str, Obs], ...]


def _getter(fields: tuple[str, ...]) -> Callable[[Record], tuple[object, ...]]:
    if not fields:
        return lambda record: ()
    if len(fields) == 1:
        one = operator.attrgetter(fields[0])
        return lambda record: (one(record),)
    return operator.attrgetter(*fields)


_PLANS: dict[type[Record], RecordPlan] = {}


def plan_for(cls: type[Record]) -> RecordPlan:
    """The plan of ``cls`` (built once per class and process)."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = RecordPlan(
            timestamps=_getter(tuple(field for field, _ in cls.TIMESTAMPS)),
            events=tuple(event for _, event in cls.TIMESTAMPS),
            observables=_getter(tuple(field for field, _ in cls.OBSERVABLES)),
            observable_fields=tuple(cls.OBSERVABLES),
        )
        _PLANS[cls] = plan
    return plan


def iter_observables(record: Record) -> Iterator[tuple[str, Obs, str]]:
    """Yield ``(field, type, value)`` for every non-empty declared observable value."""
    plan = plan_for(type(record))
    for (field, obs), value in zip(plan.observable_fields, plan.observables(record), strict=True):
        if value is None:
            continue
        for item in observable_items(value):
            yield field, obs, item


def observable_items(value: object) -> list[str]:
    """The non-empty strings of one observable field's value (a string, or a list/tuple of them)."""
    if isinstance(value, str):
        return [value] if value else []
    return [item for item in value if isinstance(item, str) and item]  # type: ignore[attr-defined]


def iter_timestamps(record: Record) -> Iterator[tuple[str, str, datetime]]:
    """Yield ``(field, event, when)`` for every declared timestamp that is set."""
    for (field, event), value in zip(record.TIMESTAMPS, plan_for(type(record)).timestamps(record), strict=True):
        if isinstance(value, datetime):
            yield field, event, value


def first_timestamp(record: Record) -> datetime | None:
    for _, _, when in iter_timestamps(record):
        return when
    return None
