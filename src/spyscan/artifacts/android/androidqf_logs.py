"""androidqf ``logs/``: the log files collected from the device, with their stored times and hashes."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.custody import InputFile, sha256_file
from spyscan.kinds.androidqf import AndroidQFEvidence
from spyscan.records.android_logs import AndroidLogFile
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr
from spyscan.timeutil import from_unix
from spyscan.values import raw_value

FOLDER = "logs"


class AndroidQFLogFiles(Artifact):
    id = "android.androidqf.logs"
    kinds = ("androidqf",)
    title = N_("Collected log files (logs/)")
    records = (AndroidLogFile,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidLogFile]:
        if not isinstance(evidence, AndroidQFEvidence):
            raise ArtifactNotFound(tr('logs/ is read from androidqf acquisitions only'))
        files = evidence.list_files(FOLDER)
        if not files:
            raise ArtifactNotFound(tr('logs/'))
        for rel in files:
            size, digest = sha256_file(evidence.resolve(rel))
            evidence.inputs.add(InputFile(path=rel, size=size, sha256=digest))
            mtime = evidence.member_mtime(rel)
            yield AndroidLogFile(source=SourceRef(file=rel), path=rel, name=posixpath.basename(rel), size=size,
                                 sha256=digest, modified=from_unix(mtime), modified_raw=raw_value(mtime))
