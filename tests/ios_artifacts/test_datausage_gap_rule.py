"""The DataUsage deleted-process rule on keys arriving in any order, with bounded memory."""

from __future__ import annotations

import random

from spyscan.detection.heuristics.ios_datausage_deleted_process import IOSDataUsageDeletedProcess
from spyscan.records.base import SourceRef
from spyscan.records.ios_system import DataUsageRow


def _row(pk: int | None, usage: int, has_process: int | None = None) -> DataUsageRow:
    return DataUsageRow(source=SourceRef(file="DataUsage.sqlite", table="ZLIVEUSAGE", rowid=usage),
                        process_pk=pk, live_usage_pk=usage, has_process=has_process if pk is None else pk,
                        process=None if pk is None else f"proc{pk}")


def _messages(rule: IOSDataUsageDeletedProcess) -> list[str]:
    return [f.message for f in rule.finish()]


def test_gaps_and_orphans_whatever_the_order() -> None:
    keys = [*range(1, 11), *range(14, 21), 40]  # gaps: 11-13 and 21-39
    shuffled = keys * 2
    random.Random(7).shuffle(shuffled)
    rule = IOSDataUsageDeletedProcess()
    for usage, pk in enumerate(shuffled, start=1):
        list(rule.check(_row(pk, usage)))
    list(rule.check(_row(None, 999, has_process=12)))  # usage row of a deleted process
    list(rule.check(_row(None, 998, has_process=5)))  # process still present: not an orphan
    [finding] = rule.finish()  # one context note per database, with counts
    assert finding.message == ("usage rows refer to 1 process row(s) no longer in ZPROCESS (12); "
                               "22 ZPROCESS primary key(s) missing in 2 gap(s) (11-13, 21-39)")
    assert finding.record.live_usage_pk == 999


def test_contiguous_keys_retain_no_records() -> None:
    rule = IOSDataUsageDeletedProcess()
    for pk in range(1, 50_001):
        list(rule.check(_row(pk, pk)))
    assert len(rule.gap_ends) == 1  # only the first key: no record kept per process
    assert _messages(rule) == []
