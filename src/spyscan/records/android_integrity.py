"""Integrity of an androidqf acquisition: files whose hash differs from hashes.csv, or are missing."""

from __future__ import annotations

from spyscan.records.base import Record


class AcquisitionIntegrityIssue(Record, frozen=True, tag="android.integrity_issue"):
    path: str
    problem: str  # "mismatch", "missing", "unlisted"
    expected: str | None = None
    actual: str | None = None
    manifest: str = "hashes.csv"

    def summary(self) -> str:
        return f"{self.path}: {self.problem} (per {self.manifest})"
