"""A declarative base for iOS artifacts that read one SQLite table (optionally with left-joined tables).

Most iOS database artifacts repeat one shape: find the database in every iOS input kind, check the table
exists, select the declared columns that exist (``PRAGMA table_info``: schemas drift between iOS versions,
a missing column is a warning and an empty field), read the rows in key order, decode each value
defensively, and tie the record to its file, table and row. ``TableArtifact`` does all of that once; an
artifact declares where the database is, the table, its key and columns, the joins, and turns one ``Row``
into one record::

    class Calls(TableArtifact):
        specs = SPECS
        what = "CallHistory.storedata"
        table = "ZCALLRECORD"
        columns = ("ZADDRESS", "ZDATE")

        def record(self, row: Row, log: ArtifactLog) -> CallRecord:
            return CallRecord(recovered=row.recovered, source=row.source, address=row.text("ZADDRESS"),
                              date=row.cocoa("ZDATE"), date_raw=row.raw("ZDATE"))

What ``record`` needs besides its row (lookup tables read once per database, such as a calendar's
participants) comes from ``context``, run on each database before the main select; ``row.context`` holds it.
"""

from __future__ import annotations

import abc
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, ClassVar

import msgspec

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    cocoa,
    databases,
    integer,
    present_columns,
    raw_value,
    rows,
    salvaged,
    text,
    unix,
    webkit,
)
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSFile, IOSPath
from spyscan.evidence.sqlite import has_table
from spyscan.records.base import Record, SourceRef
from spyscan.timeutil import IOS_FLOOR
from spyscan.values import to_float


class Join(msgspec.Struct, frozen=True, kw_only=True):
    """``LEFT JOIN <table> AS <alias> ON <alias>.<their_key> = <main alias>.<our_column>``; its columns are read as
    ``"<alias>.<column>"``. When the table or ``our_column`` is missing, its columns are empty."""

    table: str
    alias: str
    their_key: str
    our_column: str
    columns: tuple[str, ...]


class Row:
    """One selected row with the shared, defensive converters (a bad value costs its field, never the row)."""

    __slots__ = ("context", "file", "recovered", "table", "values")

    def __init__(self, values: dict[str, Any], file: IOSFile, table: str, recovered: bool,
                 context: Any = None) -> None:
        self.values = values
        self.file = file
        self.table = table
        self.recovered = recovered
        self.context = context  # what ``TableArtifact.context`` read from this row's database

    @property
    def key(self) -> int | None:
        return integer(self.values["_key"])

    @property
    def source(self) -> SourceRef:
        return SourceRef(file=self.file.label, table=self.table, rowid=self.key)

    def value(self, name: str) -> Any:
        return self.values[name]

    def text(self, name: str) -> str | None:
        return text(self.values[name])

    def integer(self, name: str) -> int | None:
        return integer(self.values[name])

    def flag(self, name: str) -> bool | None:
        found = integer(self.values[name])
        return None if found is None else bool(found)

    def number(self, name: str) -> float | None:
        return to_float(self.values[name])

    def cocoa(self, name: str, floor: datetime | None = IOS_FLOOR) -> datetime | None:
        """``floor``: None for dates a person chose (see ``_common.cocoa``)."""
        return cocoa(self.values[name], floor)

    def unix(self, name: str) -> datetime | None:
        return unix(self.values[name])

    def webkit(self, name: str) -> datetime | None:
        return webkit(self.values[name])

    def raw(self, name: str) -> Any:
        return raw_value(self.values[name])


class TableArtifact(Artifact, abc.ABC):
    specs: ClassVar[tuple[IOSPath, ...]] = ()
    what: ClassVar[str] = ""  # the database, for messages ("CallHistory.storedata")
    table: ClassVar[str] = ""
    key: ClassVar[str] = "Z_PK"  # the column that identifies a row (``rowid`` where there is no other)
    alias: ClassVar[str] = "t"  # of ``table`` in the generated SQL (named by SQLite's errors)
    columns: ClassVar[tuple[str, ...]] = ()
    joins: ClassVar[tuple[Join, ...]] = ()
    required_tables: ClassVar[tuple[str, ...]] = ()  # beyond ``table``: a database without them is skipped

    @abc.abstractmethod
    def record(self, row: Row, log: ArtifactLog) -> Record | None:
        """The record of one row (None: the row gives none)."""

    def wanted_columns(self, conn: sqlite3.Connection) -> Sequence[str]:
        """The columns to read from ``table`` (override when they depend on the schema)."""
        return self.columns

    def context(self, conn: sqlite3.Connection, log: ArtifactLog, label: str) -> Any:
        """What ``record`` needs besides its row, read from each database before the main select
        (``row.context``); nothing by default."""
        return None

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Record]:
        tables = (self.table, *self.required_tables)
        for file, conn in databases(evidence, self.specs, self.what, log, *tables):
            context = self.context(conn, log, file.label)
            sql = self.select(conn, log, file.label)
            recovered = salvaged(conn)
            for values in rows(conn, sql):
                record = self.record(Row(values, file, self.table, recovered, context), log)
                if record is not None:
                    yield record

    def select(self, conn: sqlite3.Connection, log: ArtifactLog, label: str) -> str:
        wanted = list(self.wanted_columns(conn))
        have = present_columns(conn, self.table, wanted, log, label)
        main = self.alias
        parts = [f'{main}."{self.key}" AS _key']
        parts += [f'{main}."{c}" AS "{c}"' if c in have else f'NULL AS "{c}"' for c in wanted]
        joins = []
        for join in self.joins:
            usable = join.our_column in have and has_table(conn, join.table)
            theirs = present_columns(conn, join.table, join.columns, log, label) if usable else set()
            parts += [f'{join.alias}."{c}" AS "{join.alias}.{c}"' if c in theirs else f'NULL AS "{join.alias}.{c}"'
                      for c in join.columns]
            if usable:
                joins.append(f'LEFT JOIN "{join.table}" AS {join.alias} '
                             f'ON {join.alias}."{join.their_key}" = {main}."{join.our_column}"')
        return (f'SELECT {", ".join(parts)} FROM "{self.table}" AS {main} {" ".join(joins)} '
                f'ORDER BY {main}."{self.key}"')
