"""Helpers shared by the filesystem-dump and sysdiagnose artifacts (no artifact is defined here)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spyscan.artifacts.base import ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSFile, IOSPath
from spyscan.evidence.textio import iter_lines
from spyscan.kinds.ios_fs import ListedIOSEvidence

TEXT_LIMIT = 256 << 20


def listed(evidence: Evidence) -> ListedIOSEvidence:
    """The evidence as a listed iOS input (filesystem dump or sysdiagnose); ArtifactNotFound otherwise."""
    if not isinstance(evidence, ListedIOSEvidence):
        raise ArtifactNotFound(f"{evidence.kind or 'this input'} has no file listing")
    return evidence


def find_all(source: ListedIOSEvidence, specs: Sequence[IOSPath], what: str) -> list[IOSFile]:
    found: dict[str, IOSFile] = {}
    for spec in specs:
        for item in source.ios_find(spec):
            found.setdefault(item.label, item)
    if not found:
        raise ArtifactNotFound(f"{what} not found")
    return [found[k] for k in sorted(found)]


def text_lines(source: ListedIOSEvidence, file: IOSFile, log: ArtifactLog) -> Iterator[tuple[int, str]]:
    """The file's lines, strictly decoded (bad bytes escaped and counted as a warning)."""
    bad = 0
    for number, text, bad_bytes in iter_lines(source.ios_read(file, TEXT_LIMIT)):
        bad += bad_bytes
        yield number, text
    if bad:
        log.warn(f"{file.label}: {bad} undecodable or NUL byte sequence(s) escaped")
