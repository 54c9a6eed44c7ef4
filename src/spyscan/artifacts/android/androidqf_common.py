"""Helpers shared by the androidqf artifacts: strict line reading and JSON array/NDJSON reading."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import msgspec

from spyscan.artifacts.base import ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.evidence.custody import InputFile
from spyscan.evidence.textio import DEFAULT_LINE_LIMIT, decode_bytes
from spyscan.texts import tr
from spyscan.values import to_int, to_text

_BLOCK = 1 << 20


def _block_lines(fh: BinaryIO, update: Callable[[bytes], object], limit: int) -> Iterator[tuple[bytes, bool]]:
    """Lines of a binary stream (no end of line), read in 1 MiB blocks; each cut at ``limit`` bytes (flag True).

    Every byte read goes through ``update`` (the custody hash) once.
    """
    pending = b""
    skipping = False  # inside an over-long line whose first ``limit`` bytes were already given
    while block := fh.read(_BLOCK):
        update(block)
        parts = block.split(b"\n")
        tail = parts.pop()
        for part in parts:
            if skipping:
                skipping = False  # this part ends the over-long line
                continue
            line = pending + part if pending else part
            pending = b""
            if len(line) > limit:
                yield line[:limit], True
            else:
                yield line.rstrip(b"\r"), False
        if skipping:
            continue
        pending = pending + tail if pending else tail
        if len(pending) > limit:
            yield pending[:limit], True
            pending, skipping = b"", True
    if pending and not skipping:
        yield pending.rstrip(b"\r"), False


def text_lines(evidence: Evidence, rel: str, log: ArtifactLog) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of ``rel``, streamed and decoded strictly.

    Bad bytes are escaped and counted as a warning; the file's SHA-256 goes to the custody log as it
    is read, so that large files (logcat) never sit in memory whole.
    """
    path = evidence.resolve(rel)
    digest = hashlib.sha256()
    size = 0
    bad = 0
    last = b""

    def update(block: bytes) -> None:
        nonlocal size, last
        digest.update(block)
        size += len(block)
        last = block[-1:]

    with path.open("rb") as fh:
        for number, (raw, cut) in enumerate(_block_lines(fh, update, DEFAULT_LINE_LIMIT), start=1):
            try:
                text = raw.decode("utf-8")
                clean = "\x00" not in text
            except UnicodeDecodeError:
                clean = False
            if cut or not clean:
                decoded = decode_bytes(raw)
                bad += decoded.bad_bytes + decoded.nul_bytes + (1 if cut else 0)
                text = decoded.text
            yield number, text
    evidence.inputs.add(InputFile(path=rel, size=size, sha256=digest.hexdigest()))
    if bad:
        log.warn(tr('%(rel)s: %(bad)s undecodable byte sequence(s), NUL byte(s) or over-long line(s) escaped or cut',
                    rel=rel, bad=bad))
    if size == 0:
        log.warn(tr('%(rel)s: file is empty', rel=rel))
    elif last not in (b"\n", b"\r"):
        log.warn(tr('%(rel)s: the file does not end with a line break; its last line may be cut (truncated file?)',
                    rel=rel))


def json_items(evidence: Evidence, rel: str, log: ArtifactLog) -> Iterator[tuple[int, Any]]:
    """``(position, item)`` of a JSON array file, or of a newline-delimited JSON file (one per line)."""
    data = evidence.read_bytes(rel)
    stripped = data.lstrip()
    if not stripped:
        log.warn(tr('%(rel)s: file is empty', rel=rel))
        return
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
        log.warn(tr('%(rel)s: %(bad)s line(s) are not valid JSON and were skipped', rel=rel, bad=bad))


clean_str = to_text  # JSON text, stripped; a number written out; another type is a fault


as_int = to_int  # a JSON integer or decimal text (a bool is not one)
