"""androidqf ``ps -A`` text: ``processes.txt`` (current androidqf) or ``ps.txt`` (older releases).

androidqf writes ``processes.txt`` as ``ps -A`` output when its collector did not run, and as the
collector's JSON otherwise (read by ``androidqf_processes``).
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.android.androidqf_common import text_lines
from spyscan.artifacts.android.androidqf_processes import is_json_list
from spyscan.artifacts.android.ps_text import parse_ps
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.records.android_processes import AndroidProcess
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr

FILES = ("processes.txt", "ps.txt")


class AndroidQFProcessList(Artifact):
    id = "android.androidqf.ps"
    kinds = ("androidqf",)
    title = N_("Running processes (ps -A: processes.txt, ps.txt)")
    records = (AndroidProcess,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidProcess]:
        present = [rel for rel in FILES if evidence.exists(rel) and not is_json_list(evidence, rel)]
        if not present:
            raise ArtifactNotFound(tr('processes.txt / ps.txt (ps -A text)'))
        for rel in present:
            yield from self._read(evidence, rel, log)

    def _read(self, evidence: Evidence, rel: str, log: ArtifactLog) -> Iterator[AndroidProcess]:
        table = parse_ps(text_lines(evidence, rel, log))
        if table.assumed:
            log.warn(tr('%(rel)s: no ps header line; columns assumed to be %(items)s', rel=rel,
                        items=' '.join(table.header)))
        for row in table.rows:
            yield AndroidProcess(
                source=SourceRef(file=rel, line=row.line),
                name=row.name,
                pid=row.number("PID"),
                ppid=row.number("PPID"),
                user=row.columns.get("USER"),
                label=row.columns.get("LABEL"),
            )
        if table.skipped:
            log.warn(tr('%(rel)s: %(skipped)s line(s) not in ps -A format skipped', rel=rel, skipped=table.skipped))
