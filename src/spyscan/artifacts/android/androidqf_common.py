"""Helpers shared by the androidqf artifacts: strict line reading and JSON array/NDJSON reading."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, BinaryIO, Protocol

import msgspec

from spyscan.artifacts.base import ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.evidence.custody import InputFile
from spyscan.evidence.textio import DEFAULT_LINE_LIMIT, decode_bytes


class _LineReader(Protocol):
    def readline(self, limit: int = -1, /) -> bytes: ...


def _raw_lines(fh: _LineReader, limit: int) -> Iterator[tuple[bytes, bool]]:
    """Lines of a binary stream without their end of line, each cut at ``limit`` bytes (flag True)."""
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        cut = len(raw) > limit and not raw.endswith(b"\n")
        if cut:
            while (rest := fh.readline(limit)) and not rest.endswith(b"\n"):
                pass
        yield raw.rstrip(b"\r\n")[:limit], cut


def text_lines(evidence: Evidence, rel: str, log: ArtifactLog) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of ``rel``, streamed and decoded strictly.

    Bad bytes are escaped and counted as a warning; the file's SHA-256 goes to the custody log as it
    is read, so that large files (logcat) never sit in memory whole.
    """
    path = evidence.resolve(rel)
    digest = hashlib.sha256()
    size = 0
    bad = 0
    with path.open("rb") as fh:
        hashing = _HashingReader(fh, digest)
        for number, (raw, cut) in enumerate(_raw_lines(hashing, DEFAULT_LINE_LIMIT), start=1):
            decoded = decode_bytes(raw)
            bad += decoded.bad_bytes + decoded.nul_bytes + (1 if cut else 0)
            yield number, decoded.text
        size = hashing.size
    evidence.inputs.add(InputFile(path=rel, size=size, sha256=digest.hexdigest()))
    if bad:
        log.warn(f"{rel}: {bad} undecodable byte sequence(s), NUL byte(s) or over-long line(s) escaped or cut")


class _HashingReader:
    def __init__(self, raw: BinaryIO, digest: Any) -> None:
        self.raw = raw
        self.digest = digest
        self.size = 0

    def readline(self, limit: int = -1, /) -> bytes:
        data = self.raw.readline(limit)
        self.digest.update(data)
        self.size += len(data)
        return data


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
