"""DataUsage rows pointing to a process row that no longer exists, and gaps in process keys."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_system import DataUsageRow
from spyscan.texts import N_, tr

MAX_GAP_FINDINGS = 50
MAX_ORPHANS = 10_000


class IOSDataUsageDeletedProcess(Rule):
    id = "ios.datausage_deleted_process"
    title = N_("Network usage of a process whose record was deleted")
    severity = Severity.MEDIUM
    why = N_("iOS keeps one ZPROCESS row per process that used the network. Usage rows whose process row is "
             "missing, or missing primary keys in ZPROCESS, mean rows were removed; spyware such as Pegasus "
             "has been seen deleting its own entries. Some gaps have benign causes, so review them in context.")
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
        for missing, record in sorted(self.orphans.items()):
            if missing in self.seen:
                continue
            yield Finding(record=record,
                          message=tr("network usage row %(row)s refers to process row %(missing)s, which no "
                                                 "longer exists in ZPROCESS", row=record.live_usage_pk,
                                                 missing=missing))
        if not self.gap_ends:
            return
        keys = sorted(self.seen)
        reported = 0
        for after in sorted(self.gap_ends):
            position = bisect.bisect_left(keys, after)
            if position == 0:
                continue  # the smallest key: nothing before it to compare with
            before = keys[position - 1]
            if reported >= MAX_GAP_FINDINGS:
                break
            reported += 1
            first, last = before + 1, after - 1
            span = str(first) if first == last else f"{first}-{last}"
            yield Finding(record=self.gap_ends[after], severity=Severity.LOW if after - before > 20 else None,
                          message=tr("ZPROCESS primary key(s) %(span)s missing (between %(before)s and %(after)s)",
                                     span=span, before=before, after=after))
