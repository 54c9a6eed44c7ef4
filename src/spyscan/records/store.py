"""Reading records back from a results folder's ``records/<artifact>.jsonl`` (recheck, hunt)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Union

import msgspec

from spyscan.records.base import Record, record_types
from spyscan.texts import tr

MAX_WARNINGS = 20
_DECODER: msgspec.json.Decoder[Any] | None = None


def record_decoder() -> msgspec.json.Decoder[Any]:
    """One decoder for every record type spyscan defines (built once per process)."""
    global _DECODER
    if _DECODER is None:
        from spyscan.artifacts.base import all_artifacts

        all_artifacts()  # defines every record type
        types = tuple(record_types().values())
        _DECODER = msgspec.json.Decoder(types[0] if len(types) == 1 else Union[types])  # noqa: UP007
    return _DECODER


def read_stored_records(path: Path, warn: Callable[[str], None]) -> Iterator[Record]:
    """Stream the records of one JSONL file; unreadable lines are skipped and reported through ``warn``."""
    decoder = record_decoder()
    bad = 0
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield decoder.decode(line)
            except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                bad += 1
                if bad <= MAX_WARNINGS:
                    warn(tr('%(path)s line %(number)s: stored record not readable (%(error)s)', path=path.name,
                            number=number, error=exc))
    if bad > MAX_WARNINGS:
        warn(tr('%(path)s: %(bad)s stored records in all were not readable', path=path.name, bad=bad))
