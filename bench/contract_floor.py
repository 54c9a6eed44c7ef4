"""The least a CPython implementation of spyscan's output contract can cost on an iOS backup.

`bench/run floor` reads every row of every table and does nothing else. This script reads the same
rows and does, per row, only the minimum the output contract asks for, each step in its cheapest
form, with no correctness work at all:

* a typed record: one msgspec Struct built positionally from the row (no decoding, no conversion);
* its JSON line: `encode_lines` over blocks of 512 records, one write per block;
* one timeline line: one datetime, its ISO text through msgspec, the sort key, one f-string;
* matching: one set lookup per text value (no normalisation, no URL or host extraction);
* the timeline sorted per table in memory and merged into one CSV with spyscan's own `write_merged`.

Tables are split over two worker processes (the machine's cores), as spyscan splits its artifacts.
What it leaves out (strict decoding, timestamp conversions, domain/URL/path normalisation, text
extraction, summaries, source descriptions, heuristics, the report) is what a real check adds, so
its time is a lower bound for any implementation of the contract in CPython, not a target.

Usage: python bench/contract_floor.py BACKUP_FOLDER [--workers 2]   (run by `bench/run contract-floor`)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
from runner import floor_tables  # this script's folder: bench/

from spyscan.timeline.rows import write_merged, write_sorted_lines

EPOCH = datetime(2001, 1, 1, tzinfo=UTC)


class Source(msgspec.Struct, frozen=True, omit_defaults=True):
    file: str
    table: str
    rowid: int


def tables_of(backup: Path) -> list[tuple[Path, str, int]]:
    """(database, table, rows) of the tables the floor reads (``runner.floor_tables``)."""
    found = []
    for path, name in floor_tables(backup):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        found.append((path, name, conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]))
        conn.close()
    return found


def run_tables(tables: list[tuple[Path, str, int]], out: Path, worker: int) -> list[tuple[str, str]]:
    """The contract's minimum for each table; returns the (artifact, part) pairs it wrote."""
    encoder = msgspec.json.Encoder()
    indicators = {"evil.example", "https://evil.example/x"}  # never found: the lookup is what is measured
    parts: list[tuple[str, str]] = []
    with (out / f"records-{worker}.jsonl").open("wb") as records:
        for number, (path, table, _count) in enumerate(tables):
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            record_type = msgspec.defstruct(f"T{worker}_{number}", [(f"c{i}", Any) for i in range(len(columns))]
                                            + [("source", Source)], tag=f"t{worker}.{number}")
            artifact = f"w{worker}.{table}"
            head = f",{artifact},row seen,{record_type.__name__},"
            block: list[Any] = []
            lines: list[str] = []
            hits = 0
            for rowid, row in enumerate(cursor):
                source = Source(file=path.name, table=table, rowid=rowid)
                block.append(record_type(*row, source))
                if len(block) == 512:
                    records.write(encoder.encode_lines(block))
                    block = []
                for value in row:
                    if type(value) is str and value in indicators:
                        hits += 1
                stamp = encoder.encode(EPOCH + timedelta(seconds=rowid))[1:-1].decode("ascii")
                key = stamp[:19] + ".000000" if len(stamp) == 20 else stamp[:26]
                lines.append(f"{key}{stamp}{head}{str(row[0])[:120]},{path.name}, table {table}, row {rowid}\r\n")
            if block:
                records.write(encoder.encode_lines(block))
            conn.close()
            part = out / f"part-{worker}-{number}"
            write_sorted_lines([line[26:] for line in lines], part)  # sorted and spilled as spyscan does
            parts.append((artifact, str(part)))
    return parts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("backup", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    started = time.monotonic()
    tables = sorted(tables_of(args.backup), key=lambda t: -t[2])
    groups: list[list[tuple[Path, str, int]]] = [[] for _ in range(args.workers)]
    for table in tables:  # largest first, each to the least loaded worker
        min(groups, key=lambda g: sum(t[2] for t in g)).append(table)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        context = multiprocessing.get_context("fork")
        with context.Pool(args.workers) as pool:
            results = pool.starmap(run_tables, [(group, out, n) for n, group in enumerate(groups)])
        parts = [(artifact, Path(part)) for result in results for artifact, part in result]
        rows = write_merged(parts, out / "timeline.csv")
    wall = time.monotonic() - started
    print(json.dumps({"rows": sum(t[2] for t in tables), "timeline_rows": rows, "wall_seconds": wall,
                      "workers": args.workers}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
