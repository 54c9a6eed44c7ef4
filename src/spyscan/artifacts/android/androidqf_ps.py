"""androidqf ``ps -A`` text: ``processes.txt`` (current androidqf) or ``ps.txt`` (older releases).

androidqf writes ``processes.txt`` as ``ps -A`` output when its collector did not run, and as the
collector's JSON otherwise (read by ``androidqf_processes``).
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.android.androidqf_common import as_int, text_lines
from spyscan.artifacts.android.androidqf_processes import is_json_list
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.records.android_processes import AndroidProcess
from spyscan.records.base import SourceRef

FILES = ("processes.txt", "ps.txt")
DEFAULT_HEADER = ("USER", "PID", "PPID", "VSZ", "RSS", "WCHAN", "ADDR", "S", "NAME")  # Android's ps -A


class AndroidQFProcessList(Artifact):
    id = "android.androidqf.ps"
    kinds = ("androidqf",)
    title = "Running processes (ps -A: processes.txt, ps.txt)"
    records = (AndroidProcess,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidProcess]:
        present = [rel for rel in FILES if evidence.exists(rel) and not is_json_list(evidence, rel)]
        if not present:
            raise ArtifactNotFound("processes.txt / ps.txt (ps -A text)")
        for rel in present:
            yield from self._read(evidence, rel, log)

    def _read(self, evidence: Evidence, rel: str, log: ArtifactLog) -> Iterator[AndroidProcess]:
        header: list[str] | None = None
        assumed = False  # no header line: the columns of Android's ``ps -A`` are assumed
        skipped = 0
        for number, line in text_lines(evidence, rel, log):
            fields = line.split()
            if not fields:
                continue
            if header is None:
                header = [f.upper() for f in fields]
                if "PID" in header:
                    continue
                header, assumed = list(DEFAULT_HEADER), True
                log.warn(f"{rel}: no ps header line (line {number}); columns assumed to be {' '.join(header)}")
            if assumed and (len(fields) < len(header) or as_int(fields[1]) is None):
                skipped += 1
                continue
            # the name is the last column; with a header ending in NAME/CMD it may hold spaces
            name = " ".join(fields[len(header) - 1:]) if len(fields) >= len(header) else fields[-1]
            columns = dict(zip(header, fields, strict=False))
            yield AndroidProcess(
                source=SourceRef(file=rel, line=number),
                name=name,
                pid=as_int(columns.get("PID")),
                ppid=as_int(columns.get("PPID")),
                user=columns.get("USER"),
                label=columns.get("LABEL"),
            )
        if skipped:
            log.warn(f"{rel}: {skipped} line(s) not in ps -A format skipped")
