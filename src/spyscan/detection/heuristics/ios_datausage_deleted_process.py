"""DataUsage rows pointing to a process row that no longer exists, and gaps in process keys.

iOS itself prunes ``ZPROCESS`` rows: gaps in its primary keys and usage rows whose process row is gone
are found on ordinary phones (mvt-project/mvt#257, a work iPhone with dozens of "manipulated process
entry" alerts; the real ``netusage.sqlite`` of log2timeline/plaso's test data, the same Core Data model,
has 17 gaps in its ZPROCESS keys). They are reported once per database, with counts and the first spans,
as LOW context for an expert.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.base import Record
from spyscan.records.ios_system import DataUsageRow
from spyscan.texts import N_, tr

SHOWN = 10  # spans and process rows named in the finding
MAX_ORPHANS = 10_000


class IOSDataUsageDeletedProcess(Rule):
    id = "ios.datausage_deleted_process"
    title = N_("Process rows missing from the network usage database")
    severity = Severity.LOW
    category = CONTEXT
    why = N_("Spyware such as Pegasus deleted its own rows from this database. iOS also removes old rows "
             "itself, so missing rows are common on normal phones: context for an expert.")
    record_types = (DataUsageRow,)

    def __init__(self) -> None:
        # Memory stays small on huge databases: only the keys seen, plus the first record of each key
        # whose predecessor has not been seen (the only records a gap finding can need).
        self.seen: set[int] = set()
        self.gap_ends: dict[int, DataUsageRow] = {}
        self.orphans: dict[int, DataUsageRow] = {}

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, DataUsageRow):
            return ()
        key = record.process_pk
        if key is not None:
            if key not in self.seen:
                self.seen.add(key)
                if key - 1 not in self.seen:
                    self.gap_ends[key] = record
                self.gap_ends.pop(key + 1, None)
        elif (record.has_process is not None and record.live_usage_pk is not None
              and len(self.orphans) < MAX_ORPHANS):
            self.orphans.setdefault(record.has_process, record)
        return ()

    def finish(self) -> Iterable[Finding]:
        orphans = [(missing, record) for missing, record in sorted(self.orphans.items()) if missing not in self.seen]
        gaps = self._gaps()
        if not orphans and not gaps:
            return
        parts: list[str] = []
        if orphans:
            named = ", ".join(str(missing) for missing, _ in orphans[:SHOWN])
            named += ", ..." if len(orphans) > SHOWN else ""
            if len(self.orphans) >= MAX_ORPHANS:
                parts.append(tr("usage rows refer to at least %(count)s process row(s) no longer in ZPROCESS "
                                "(%(rows)s)", count=len(orphans), rows=named))
            else:
                parts.append(tr("usage rows refer to %(count)s process row(s) no longer in ZPROCESS (%(rows)s)",
                                count=len(orphans), rows=named))
        if gaps:
            missing = sum(after - before - 1 for before, after, _ in gaps)
            spans = ", ".join(str(before + 1) if after - before == 2 else f"{before + 1}-{after - 1}"
                              for before, after, _ in gaps[:SHOWN]) + (", ..." if len(gaps) > SHOWN else "")
            parts.append(tr("%(missing)s ZPROCESS primary key(s) missing in %(gaps)s gap(s) (%(spans)s)",
                            missing=missing, gaps=len(gaps), spans=spans))
        first = orphans[0][1] if orphans else gaps[0][2]
        message = parts[0] if len(parts) == 1 else tr("%(first)s; %(second)s", first=parts[0], second=parts[1])
        yield Finding(record=first, message=message)

    def _gaps(self) -> list[tuple[int, int, DataUsageRow]]:
        """``(key before, key after, record after)`` of every gap in the process keys seen."""
        if not self.gap_ends:
            return []
        keys = sorted(self.seen)
        found = []
        for after in sorted(self.gap_ends):
            position = bisect.bisect_left(keys, after)
            if position == 0:
                continue  # the smallest key: nothing before it to compare with
            found.append((keys[position - 1], after, self.gap_ends[after]))
        return found
