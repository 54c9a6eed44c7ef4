#!/usr/bin/env python3
"""Micro-benchmark (CPU time of this process, so that other load on the machine counts less):
what writing a record's text costs, per record: its timeline lines
(``keyed_record_lines``: invisible characters escaped, formulas guarded, CSV quoting) and its JSON line
with invisible characters escaped (``json_visible`` over a block of 512 encoded records, as
``RecordPipeline.flush`` does), for ASCII messages and for Spanish messages with smart punctuation and emoji.

    .venv/bin/python bench/text_outputs.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import random
import time
import timeit
from datetime import UTC, datetime, timedelta

import msgspec

from spyscan.records.base import SourceRef
from spyscan.records.ios_messages import SMSMessage
from spyscan.timeline.rows import keyed_record_lines

try:
    from spyscan.visible import json_visible
except ImportError:  # the code before escaping
    def json_visible(data: bytes) -> bytes:
        return data

WORDS = {"ascii": ["see", "you", "later", "details", "at", "https://www.example.com/a?b=1", "ok", "thanks"],
         "spanish": ["hola", "¿qué", "tal?", "mañana", "está", "“bien”", "café", "…", "niño", "€5", "😀", "vale"]}


def messages(kind: str, count: int = 512, seed: int = 1) -> list[SMSMessage]:
    rng = random.Random(seed)
    start = datetime(2024, 5, 20, tzinfo=UTC)
    return [SMSMessage(source=SourceRef(file="HomeDomain/Library/SMS/sms.db", table="message", rowid=i),
                       message_id=i, text=" ".join(rng.choice(WORDS[kind]) for _ in range(16)), service="SMS",
                       direction="received", handle="+15555550100", date=start + timedelta(seconds=i))
            for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description="timeline and JSONL text micro-benchmark")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    encoder = msgspec.json.Encoder()
    for kind in WORDS:
        records = messages(kind)
        lines = min(timeit.repeat(lambda r=records: [keyed_record_lines("ios.sms", x) for x in r], number=5,
                                  repeat=args.repeat, timer=time.process_time)) / 5 / len(records) * 1e6
        block = encoder.encode_lines(records)
        encode = min(timeit.repeat(lambda r=records: encoder.encode_lines(r), number=20,
                                   repeat=args.repeat, timer=time.process_time)) / 20 / len(records) * 1e6
        escape = min(timeit.repeat(lambda b=block: json_visible(b), number=20,
                                   repeat=args.repeat, timer=time.process_time)) / 20 / len(records) * 1e6
        print(f"{kind:8} timeline lines {lines:5.2f} µs/record | JSON line {encode:5.2f} µs/record, "
              f"escape check {escape:5.2f} µs/record")


if __name__ == "__main__":
    main()
