"""androidqf ``ps.txt``: the process list at acquisition time."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.android.androidqf_common import as_int, text_lines
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.records.android_processes import AndroidProcess
from spyscan.records.base import SourceRef

FILE = "ps.txt"


class AndroidQFProcessList(Artifact):
    id = "android.androidqf.ps"
    kinds = ("androidqf",)
    title = "Running processes (ps.txt)"
    records = (AndroidProcess,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidProcess]:
        header: list[str] | None = None
        for number, line in text_lines(evidence, FILE, log):
            fields = line.split()
            if not fields:
                continue
            if header is None:
                header = [f.upper() for f in fields]
                if "PID" not in header:
                    raise ValueError(f"{FILE} has no ps header line")
                continue
            # the name is the last column; with a header ending in NAME/CMD it may hold spaces
            name = " ".join(fields[len(header) - 1:]) if len(fields) >= len(header) else fields[-1]
            columns = dict(zip(header, fields, strict=False))
            yield AndroidProcess(
                source=SourceRef(file=FILE, line=number),
                name=name,
                pid=as_int(columns.get("PID")),
                ppid=as_int(columns.get("PPID")),
                user=columns.get("USER"),
                label=columns.get("LABEL"),
            )
