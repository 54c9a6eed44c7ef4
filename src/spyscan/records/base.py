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

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

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


def iter_observables(record: Record) -> Iterator[tuple[str, Obs, str]]:
    """Yield ``(field, type, value)`` for every non-empty declared observable value."""
    for field, obs in record.OBSERVABLES:
        value = getattr(record, field)
        if value is None:
            continue
        if isinstance(value, str):
            if value:
                yield field, obs, value
        else:
            for item in value:
                if isinstance(item, str) and item:
                    yield field, obs, item


def iter_timestamps(record: Record) -> Iterator[tuple[str, str, datetime]]:
    """Yield ``(field, event, when)`` for every declared timestamp that is set."""
    for field, event in record.TIMESTAMPS:
        value = getattr(record, field)
        if isinstance(value, datetime):
            yield field, event, value


def first_timestamp(record: Record) -> datetime | None:
    for _, _, when in iter_timestamps(record):
        return when
    return None
