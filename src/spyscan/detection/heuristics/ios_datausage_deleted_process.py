"""DataUsage rows pointing to a process row that no longer exists, and gaps in process keys."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_system import DataUsageRow

MAX_GAP_FINDINGS = 50


class IOSDataUsageDeletedProcess(Rule):
    id = "ios.datausage_deleted_process"
    title = "Network usage of a process whose record was deleted"
    severity = Severity.MEDIUM
    why = ("iOS keeps one ZPROCESS row per process that used the network. Usage rows whose process row is "
           "missing, or missing primary keys in ZPROCESS, mean rows were removed; spyware such as Pegasus "
           "has been seen deleting its own entries. Some gaps have benign causes, so review them in context.")
    record_types = (DataUsageRow,)

    def __init__(self) -> None:
        self.process_rows: dict[int, DataUsageRow] = {}
        self.orphans: dict[int, DataUsageRow] = {}

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, DataUsageRow):
            return ()
        if record.process_pk is not None:
            self.process_rows.setdefault(record.process_pk, record)
        elif record.has_process is not None and record.live_usage_pk is not None:
            self.orphans.setdefault(record.has_process, record)
        return ()

    def finish(self) -> Iterable[Finding]:
        for missing, record in sorted(self.orphans.items()):
            if missing in self.process_rows:
                continue
            yield Finding(record=record, message=f"network usage row {record.live_usage_pk} refers to process "
                          f"row {missing}, which no longer exists in ZPROCESS")
        keys = sorted(self.process_rows)
        reported = 0
        for before, after in itertools.pairwise(keys):
            if after - before > 1 and reported < MAX_GAP_FINDINGS:
                reported += 1
                first, last = before + 1, after - 1
                span = str(first) if first == last else f"{first}-{last}"
                yield Finding(record=self.process_rows[after], severity=Severity.LOW if after - before > 20 else None,
                              message=f"ZPROCESS primary key(s) {span} missing (between {before} and {after})")
