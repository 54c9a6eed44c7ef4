"""``dumpsys dbinfo``: recent SQLite operations per app process (database paths and statements)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.android.dumpsys_common import device_time
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.android_time import UNKNOWN_CLOCK, DeviceClock, device_clock
from spyscan.evidence.base import Evidence
from spyscan.records.android_dbinfo import DatabaseOperation
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr
from spyscan.values import to_int

_PROCESS = re.compile(r"^\*\* Database info for pid (?P<pid>\d+) \[(?P<name>[^\]]*)\] \*\*")
_POOL = re.compile(r"^Connection pool for (?P<path>.+?):\s*$")
_OP = re.compile(
    r"^\s*\d+: \[(?P<when>[^\]]+)\]\s*(?:\[Pid:\(\d+\)\])?\s*(?P<action>\w+) took [^,]*?"
    r"(?:, sql=\"(?P<sql>.*?)\")?(?:, path=(?P<path>\S+))?\s*$"
)


def parse_dbinfo(section: DumpsysSection, clock: DeviceClock = UNKNOWN_CLOCK) -> Iterator[DatabaseOperation]:
    """Recent database operations; device-local times converted to UTC with ``clock``."""
    process: str | None = None
    pid: int | None = None
    pool: str | None = None
    for number, line in section.lines():
        if match := _PROCESS.match(line):
            process, pid, pool = match["name"] or None, to_int(match["pid"]), None
        elif match := _POOL.match(line):
            pool = match["path"]
        elif match := _OP.match(line):
            when = device_time(match["when"], clock)
            yield DatabaseOperation(
                source=SourceRef(file=section.file, line=number, key=section.name), process=process, pid=pid,
                path=match["path"] or pool, action=match["action"], sql=match["sql"],
                time=when, time_raw=match["when"], time_zone=clock.name,
                timezone_assumed=clock.assumed and when is not None,
            )


class DumpsysDbInfo(Artifact):
    id = "android.dumpsys.dbinfo"
    kinds = ("androidqf", "bugreport")
    same_data = "dumpsys:dbinfo"
    title = N_("Database operations (dumpsys dbinfo)")
    records = (DatabaseOperation,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[DatabaseOperation]:
        clock = device_clock(evidence)
        assumed = 0
        for record in parse_dbinfo(require_section(evidence, "dbinfo", log=log), clock):
            assumed += record.timezone_assumed
            yield record
        if assumed:
            log.warn(clock.warning(tr("database operation times")))
