"""Helpers shared by the androidqf artifacts: strict line reading and JSON array/NDJSON reading."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from spyscan.artifacts.base import ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.evidence.textio import iter_lines


def text_lines(evidence: Evidence, rel: str, log: ArtifactLog) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of ``rel``, decoded strictly; bad bytes escaped and counted as a warning."""
    bad = 0
    for number, line, bad_bytes in iter_lines(evidence.read_bytes(rel)):
        bad += bad_bytes
        yield number, line
    if bad:
        log.warn(f"{rel}: {bad} undecodable or NUL byte sequence(s) escaped")


def json_items(evidence: Evidence, rel: str, log: ArtifactLog) -> Iterator[tuple[int, Any]]:
    """``(position, item)`` of a JSON array file, or of a newline-delimited JSON file (one per line)."""
    data = evidence.read_bytes(rel)
    stripped = data.lstrip()
    if stripped.startswith(b"["):
        try:
            items = msgspec.json.decode(data)
        except msgspec.DecodeError as exc:
            raise ValueError(f"{rel} is not valid JSON: {exc}") from exc
        if not isinstance(items, list):
            raise ValueError(f"{rel} is not a JSON array")
        yield from enumerate(items)
        return
    bad = 0
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, msgspec.json.decode(line)
        except msgspec.DecodeError:
            bad += 1
    if bad:
        log.warn(f"{rel}: {bad} line(s) are not valid JSON and were skipped")


def clean_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None
