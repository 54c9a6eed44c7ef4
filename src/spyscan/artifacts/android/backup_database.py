"""A small declarative base for artifacts that select rows from one SQLite database of an Android backup and
decode each row into a record.

A subclass names the database (``databases``: paths inside the backup), the ``table``, the ``columns`` it
can use (``required`` ones must exist) and ``record(row, ref)``. The base finds the database while
streaming the backup (with its ``-journal``/``-wal`` companions), writes it to the run's private work
folder (bounded, hashed into the custody log), opens it through ``evidence.sqlite.open_checked`` (a
damaged database is salvaged and the artifact says so), selects only the columns present
(``PRAGMA table_info``: schemas differ across Android releases) and yields one record per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.sqlite import open_checked, report_recovery, table_columns
from spyscan.kinds.android_backup import AndroidBackupEvidence
from spyscan.records.base import Record, SourceRef
from spyscan.texts import tr

LIMIT = 512 << 20
COMPANIONS = ("-journal", "-wal")
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class BackupDatabaseArtifact(Artifact):
    kinds = ("android-backup",)
    absent_means = "not_applicable"  # a backup holds only what its apps agreed to back up
    databases: ClassVar[tuple[str, ...]] = ()  # paths inside the backup, e.g. apps/<pkg>/db/<name>.db
    table: ClassVar[str] = ""
    columns: ClassVar[tuple[str, ...]] = ()
    required: ClassVar[tuple[str, ...]] = ()

    def record(self, row: dict[str, Any], ref: SourceRef) -> Record:
        raise NotImplementedError  # pragma: no cover - abstract

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Record]:
        if not isinstance(evidence, AndroidBackupEvidence):
            raise ArtifactNotFound(tr('not an Android backup'))
        wanted = {name: name for name in self.databases}
        wanted.update({name + suffix: name for name in self.databases for suffix in COMPANIONS})
        folder = evidence.workdir / "backup-databases" / self.id
        copies: dict[str, bool] = {}
        for entry in evidence.backup_entries():
            main = wanted.get(entry.name)
            if main is None:
                continue
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            target = folder / (_SAFE.sub("_", main) + entry.name[len(main):])
            target.write_bytes(evidence.read_entry(entry, LIMIT))
            target.chmod(0o600)
            copies[main] = copies.get(main, False) or entry.name == main
        found = [name for name in self.databases if copies.get(name)]
        if not found:
            raise ArtifactNotFound(tr('no %(items)s in this backup', items=' or '.join(self.databases)))
        for name in found:
            yield from self._rows(folder / _SAFE.sub("_", name), name, log)

    def _rows(self, path: Any, name: str, log: ArtifactLog) -> Iterator[Record]:
        conn = open_checked(path, name, path.parent)
        try:
            report_recovery(conn, log)
            present = table_columns(conn, self.table)
            missing = [c for c in self.required if c not in present]
            if not present or missing:
                log.warn(tr('%(name)s: no table %(table)s with the columns %(items)s', name=name, table=self.table,
                            items=', '.join(missing or self.required)))
                return
            chosen = [c for c in self.columns if c in present]
            select = ", ".join(f'"{c}"' for c in ("rowid", *chosen))
            cursor = conn.execute(f'SELECT {select} FROM "{self.table}" ORDER BY rowid')  # names from the schema
            for values in cursor:
                row = dict(zip(("rowid", *chosen), values, strict=True))
                yield self.record(row, SourceRef(file=name, table=self.table, rowid=row["rowid"]))
        finally:
            conn.close()
