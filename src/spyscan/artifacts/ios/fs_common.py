"""Helpers shared by the filesystem-dump and sysdiagnose artifacts (no artifact is defined here)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spyscan.artifacts.base import ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSFile, IOSPath
from spyscan.evidence.textio import iter_lines
from spyscan.kinds.ios_fs import ListedIOSEvidence
from spyscan.texts import tr

TEXT_LIMIT = 256 << 20


def listed(evidence: Evidence) -> ListedIOSEvidence:
    """The evidence as a listed iOS input (filesystem dump or sysdiagnose); ArtifactNotFound otherwise."""
    if not isinstance(evidence, ListedIOSEvidence):
        raise ArtifactNotFound(tr('%(value)s has no file listing', value=evidence.kind or tr('this input')))
    return evidence


def find_all(source: ListedIOSEvidence, specs: Sequence[IOSPath], what: str) -> list[IOSFile]:
    found: dict[str, IOSFile] = {}
    for spec in specs:
        for item in source.ios_find(spec):
            found.setdefault(item.label, item)
    if not found:
        raise ArtifactNotFound(tr('%(what)s not found', what=what))
    return [found[k] for k in sorted(found)]


def text_lines(source: ListedIOSEvidence, file: IOSFile, log: ArtifactLog,
               line_ended: bool = False) -> Iterator[tuple[int, str]]:
    """The file's lines, strictly decoded (bad bytes escaped and counted as a warning).

    An empty file is a warning; with ``line_ended`` (logs that always end with a line break) so is a
    file whose last line has no line break (cut).
    """
    data = source.ios_read(file, TEXT_LIMIT)
    if not data:
        log.warn(tr('%(file)s: file is empty', file=file.label))
        return
    bad = 0
    for number, text, bad_bytes in iter_lines(data):
        bad += bad_bytes
        yield number, text
    if bad:
        log.warn(tr('%(file)s: %(bad)s undecodable or NUL byte sequence(s) escaped', file=file.label, bad=bad))
    if line_ended and not data.endswith((b"\n", b"\r")):
        log.warn(tr('%(file)s: the file does not end with a line break; its last line may be cut (truncated?)',
                    file=file.label))
