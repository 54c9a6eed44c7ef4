"""Helpers shared by the androidqf artifacts: strict line reading and JSON array/NDJSON reading."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spyscan.artifacts.base import ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.evidence.custody import InputFile
from spyscan.evidence.jsonio import LineNotes, block_lines, decode_document, ndjson_values
from spyscan.evidence.textio import DEFAULT_LINE_LIMIT, decode_bytes
from spyscan.texts import tr
from spyscan.values import to_int, to_text

_PEEK = 4096


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
        for number, (raw, cut) in enumerate(block_lines(fh, update, DEFAULT_LINE_LIMIT), start=1):
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


def _first_byte(path: Path) -> bytes:
    """The first byte that is not JSON whitespace (empty for a blank file)."""
    with path.open("rb") as fh:
        while block := fh.read(_PEEK):
            stripped = block.lstrip()
            if stripped:
                return stripped[:1]
    return b""


def json_items(evidence: Evidence, rel: str, log: ArtifactLog) -> Iterator[tuple[int, Any]]:
    """``(position, item)`` of a JSON array file, or of a newline-delimited JSON file (one per line).

    An array file is decoded whole (``ValueError`` when it is not JSON; ``BudgetExceeded`` when it nests too
    deep to read). NDJSON is streamed one bounded line at a time: lines that are not JSON are a warning,
    lines too long or too deep are skipped and make the artifact ``truncated``."""
    path = evidence.resolve(rel)
    first = _first_byte(path)
    if not first:
        evidence.read_bytes(rel)  # the custody log still records the (blank) file
        log.warn(tr('%(rel)s: file is empty', rel=rel))
        return
    if first == b"[":
        items = decode_document(evidence.read_bytes(rel), rel)
        if not isinstance(items, list):
            raise ValueError(f"{rel} is not a JSON array")
        yield from enumerate(items)
        return
    notes = LineNotes()
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        yield from ndjson_values(fh, notes, digest.update)
    evidence.inputs.add(InputFile(path=rel, size=notes.size, sha256=digest.hexdigest()))
    if notes.bad:
        log.warn(tr('%(rel)s: %(bad)s line(s) are not valid JSON and were skipped', rel=rel, bad=notes.bad))
    if notes.limited:
        log.mark_truncated(notes.limit_message(rel))


clean_str = to_text  # JSON text, stripped; a number written out; another type is a fault
as_int = to_int  # a JSON integer or decimal text (a bool is not one)
