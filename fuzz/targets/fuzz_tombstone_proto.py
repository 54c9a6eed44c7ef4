"""Fuzz target: protobuf tombstones (``tombstone_NN.pb``), decoded from the wire format.

Property: only ``ProtobufError`` escapes; a decoded record can always be written out (msgspec JSON).

Run: fuzz/run.sh tombstone_proto SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    import msgspec

    from spyscan.artifacts.android.bugreport_tombstone_proto import ProtobufError, parse_proto_tombstone
    from spyscan.records.base import SourceRef


def one_input(data: bytes) -> None:
    try:
        record = parse_proto_tombstone(data, SourceRef(file="tombstone_00.pb"))
    except ProtobufError:
        return
    msgspec.json.encode(record)


if __name__ == "__main__":
    common.main(one_input)
