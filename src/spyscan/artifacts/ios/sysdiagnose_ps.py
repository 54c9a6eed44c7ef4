"""Process lists of a sysdiagnose (``ps.txt``, ``ps_thread.txt``): every process name is matched."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios.fs_common import find_all, listed, text_lines
from spyscan.artifacts.ios.parsers.ps import parse_ps
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_sysdiagnose import SysdiagnoseProcess
from spyscan.texts import N_, tr

SPECS = (IOSPath(fs=("ps.txt", "ps_thread.txt")),)


class SysdiagnoseProcessList(Artifact):
    id = "ios.sysdiagnose.ps"
    kinds = ("sysdiagnose",)
    title = N_("Running processes (sysdiagnose ps.txt)")
    records = (SysdiagnoseProcess,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[SysdiagnoseProcess]:
        source = listed(evidence)
        for file in find_all(source, SPECS, "ps.txt"):
            rows = parse_ps(list(text_lines(source, file, log)))
            if not rows:
                log.warn(tr('%(file)s: no process rows (no ps header found)', file=file.label))
            for row in rows:
                yield SysdiagnoseProcess(
                    source=SourceRef(file=file.label, line=row.line), name=row.name, command=row.command,
                    executable=row.executable if row.executable.startswith("/") else "",
                    pid=row.pid, ppid=row.ppid, user=row.user, started=row.started, list_file=file.label,
                )
