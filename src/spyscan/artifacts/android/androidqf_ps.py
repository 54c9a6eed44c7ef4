"""androidqf ``ps.txt``: the process list at acquisition time."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.evidence.textio import iter_lines
from spyscan.records.android_processes import AndroidProcess
from spyscan.records.base import SourceRef

FILE = "ps.txt"


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


class AndroidQFProcessList(Artifact):
    id = "android.androidqf.ps"
    kinds = ("androidqf",)
    title = "Running processes (ps.txt)"
    records = (AndroidProcess,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidProcess]:
        header: list[str] | None = None
        bad = 0
        for number, line, bad_bytes in iter_lines(evidence.read_bytes(FILE)):
            bad += bad_bytes
            fields = line.split()
            if not fields:
                continue
            if header is None:
                header = [f.upper() for f in fields]
                if "PID" not in header:
                    raise ValueError(f"{FILE} has no ps header line")
                continue
            name = fields[-1]
            columns = dict(zip(header, fields, strict=False))
            yield AndroidProcess(
                source=SourceRef(file=FILE, line=number),
                name=name,
                pid=_int(columns.get("PID", "")),
                ppid=_int(columns.get("PPID", "")),
                user=columns.get("USER"),
                label=columns.get("LABEL"),
            )
        if bad:
            log.warn(f"{FILE}: {bad} undecodable or NUL byte sequence(s) escaped")
