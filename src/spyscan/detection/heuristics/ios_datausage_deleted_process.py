"""DataUsage rows pointing to a process row that no longer exists, and gaps in process keys.

iOS itself prunes ``ZPROCESS`` rows: gaps in its primary keys and usage rows whose process row is gone
are found on ordinary phones (mvt-project/mvt#257, a work iPhone with dozens of "manipulated process
entry" alerts; the real ``DataUsage.sqlite`` of log2timeline/plaso's test data has pruned process rows).
They are reported once per database, with counts and the first spans, as LOW context for an expert.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.base import Record
from spyscan.records.ios_system import DataUsageRow

SHOWN = 10  # spans and process rows named in the finding
MAX_ORPHANS = 10_000


class IOSDataUsageDeletedProcess(Rule):
    id = "ios.datausage_deleted_process"
    title = "Process rows missing from the network usage database"
    severity = Severity.LOW
    category = CONTEXT
    why = ("Spyware such as Pegasus deleted its own rows from this database. iOS also removes old rows "
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
        parts = []
        if orphans:
            named = ", ".join(str(missing) for missing, _ in orphans[:SHOWN])
            more = ", ..." if len(orphans) > SHOWN else ""
            capped = "at least " if len(self.orphans) >= MAX_ORPHANS else ""
            parts.append(f"usage rows refer to {capped}{len(orphans)} process row(s) no longer in ZPROCESS "
                         f"({named}{more})")
        if gaps:
            missing = sum(after - before - 1 for before, after, _ in gaps)
            spans = ", ".join(str(before + 1) if after - before == 2 else f"{before + 1}-{after - 1}"
                              for before, after, _ in gaps[:SHOWN])
            more = ", ..." if len(gaps) > SHOWN else ""
            parts.append(f"{missing} ZPROCESS primary key(s) missing in {len(gaps)} gap(s) ({spans}{more})")
        first = orphans[0][1] if orphans else gaps[0][2]
        yield Finding(record=first, message="; ".join(parts))

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
