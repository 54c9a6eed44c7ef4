"""androidqf integrity: files compared with ``hashes.csv``.

androidqf writes ``hashes.csv`` last: two CSV fields per row, the file and its lowercase SHA-256
(``docs/acquisition-archives.md`` and ``acquisition/acquisition.go`` of androidqf). Older releases
wrote the absolute path of the file on the computer that made the acquisition; current ones the zip
entry name. Paths are matched to the acquisition by their longest suffix that names a file present.
``hashes.csv`` has no row for itself, and ``acquisition.json`` holds no hash list.

Each file whose hash differs, or that is listed but missing, becomes a record.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator

from spyscan.artifacts.android.androidqf_common import text_lines
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.kinds.androidqf import AndroidQFEvidence
from spyscan.records.android_integrity import AcquisitionIntegrityIssue
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr

HASHES = "hashes.csv"
_ALGORITHMS = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}
_HEX = frozenset("0123456789abcdef")


def _is_hash(text: str) -> bool:
    return len(text) in _ALGORITHMS and set(text.lower()) <= _HEX


def manifest_entries(evidence: Evidence, log: ArtifactLog) -> Iterator[tuple[SourceRef, str, str]]:
    """``(source, listed path, expected hash)`` from hashes.csv (CSV quoting honoured)."""
    if evidence.exists(HASHES):
        for number, line in text_lines(evidence, HASHES, log):
            cells = [c.strip() for c in next(csv.reader([line]), [])]
            if len(cells) < 2:
                continue
            hashes = [c for c in cells if _is_hash(c)]
            paths = [c for c in cells if c and not _is_hash(c)]
            if hashes and paths:
                yield SourceRef(file=HASHES, line=number), paths[0], hashes[0].lower()


def _local_name(listed: str, present: set[str]) -> str | None:
    parts = [p for p in listed.replace("\\", "/").split("/") if p and p != "."]
    for start in range(len(parts)):
        candidate = "/".join(parts[start:])
        if candidate in present:
            return candidate
    return None


def _digest(evidence: Evidence, rel: str, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with evidence.resolve(rel).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class AndroidQFIntegrity(Artifact):
    id = "android.androidqf.integrity"
    kinds = ("androidqf",)
    title = N_("Acquisition integrity (hashes.csv)")
    records = (AcquisitionIntegrityIssue,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AcquisitionIntegrityIssue]:
        if not evidence.exists(HASHES):
            raise ArtifactNotFound(HASHES)
        present = set(evidence.list_files()) if isinstance(evidence, AndroidQFEvidence) else set()
        checked = 0
        for source, listed, expected in manifest_entries(evidence, log):
            local = _local_name(listed, present) if present else (listed if evidence.exists(listed) else None)
            if local is None:
                log.warn(tr('%(listed)s is listed in %(source)s but missing from the acquisition', listed=listed,
                            source=source.file))
                yield AcquisitionIntegrityIssue(source=source, path=listed, problem="missing", expected=expected,
                                                manifest=source.file)
                continue
            actual = _digest(evidence, local, _ALGORITHMS[len(expected)])
            checked += 1
            if actual != expected:
                log.warn(tr('%(local)s does not match its hash in %(source)s', local=local, source=source.file))
                yield AcquisitionIntegrityIssue(source=source, path=local, problem="mismatch", expected=expected,
                                                actual=actual, manifest=source.file)
        if checked == 0:
            log.warn(tr('no file of the acquisition could be checked against a listed hash'))
