"""``dumpsys dbinfo``: recent SQLite operations per app process (database paths and statements)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.android.dumpsys_common import device_time
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.base import Evidence
from spyscan.records.android_dbinfo import DatabaseOperation
from spyscan.records.base import SourceRef

_PROCESS = re.compile(r"^\*\* Database info for pid (?P<pid>\d+) \[(?P<name>[^\]]*)\] \*\*")
_POOL = re.compile(r"^Connection pool for (?P<path>.+?):\s*$")
_OP = re.compile(
    r"^\s*\d+: \[(?P<when>[^\]]+)\]\s*(?:\[Pid:\(\d+\)\])?\s*(?P<action>\w+) took [^,]*?"
    r"(?:, sql=\"(?P<sql>.*?)\")?(?:, path=(?P<path>\S+))?\s*$"
)


def parse_dbinfo(section: DumpsysSection) -> Iterator[DatabaseOperation]:
    process: str | None = None
    pid: int | None = None
    pool: str | None = None
    for number, line in section.lines():
        if match := _PROCESS.match(line):
            process, pid, pool = match["name"] or None, int(match["pid"]), None
        elif match := _POOL.match(line):
            pool = match["path"]
        elif match := _OP.match(line):
            yield DatabaseOperation(
                source=SourceRef(file=section.file, line=number, key=section.name), process=process, pid=pid,
                path=match["path"] or pool, action=match["action"], sql=match["sql"],
                time=device_time(match["when"]), time_raw=match["when"],
            )


class DumpsysDbInfo(Artifact):
    id = "android.dumpsys.dbinfo"
    kinds = ("androidqf", "bugreport")
    title = "Database operations (dumpsys dbinfo)"
    records = (DatabaseOperation,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[DatabaseOperation]:
        yield from parse_dbinfo(require_section(evidence, "dbinfo"))
