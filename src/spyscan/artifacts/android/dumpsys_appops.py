"""``dumpsys appops``: per app and operation, the mode and the last times it was used or refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from spyscan.artifacts.android.dumpsys_common import device_time
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.android_time import UNKNOWN_CLOCK, DeviceClock, device_clock
from spyscan.evidence.base import Evidence
from spyscan.records.android_appops import AppOpEntry
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr

_UID = re.compile(r"^\s*Uid (?P<uid>\S+?):\s*$")
_PACKAGE = re.compile(r"^\s*Package (?P<package>\S+?):\s*$")
_OP = re.compile(r"^\s*(?P<op>[A-Z][A-Z0-9_]+) \((?P<mode>[a-z_]+)[^)]*\):\s*$")
_EVENT = re.compile(r"^\s*(?P<kind>Access|Reject):\s*\[[^\]]*\]\s*(?P<when>\d{4}-\d{2}-\d{2} [\d:.]+)")


@dataclass
class _Op:
    line: int
    uid: str | None
    package: str
    op: str
    mode: str
    accesses: list[tuple[datetime | None, str]] = field(default_factory=list)  # (UTC or unreadable, raw text)
    rejects: list[tuple[datetime | None, str]] = field(default_factory=list)


def _latest(events: list[tuple[datetime | None, str]]) -> tuple[datetime | None, str] | None:
    """The latest readable event, else an unreadable one (its raw text is kept), else None."""
    readable = [event for event in events if event[0] is not None]
    if readable:
        return max(readable)
    return events[-1] if events else None


def _record(section: DumpsysSection, op: _Op, clock: DeviceClock) -> AppOpEntry:
    access = _latest(op.accesses)
    reject = _latest(op.rejects)
    return AppOpEntry(
        source=SourceRef(file=section.file, line=op.line, key=section.name), package=op.package, uid=op.uid,
        op=op.op, mode=op.mode, last_access=access[0] if access else None, last_reject=reject[0] if reject else None,
        access_count=len(op.accesses), reject_count=len(op.rejects),
        last_access_raw=access[1] if access else None, last_reject_raw=reject[1] if reject else None,
        time_zone=clock.name, timezone_assumed=clock.assumed and bool(access or reject),
    )


def parse_appops(section: DumpsysSection, clock: DeviceClock = UNKNOWN_CLOCK) -> Iterator[AppOpEntry]:
    """Operations of ``dumpsys appops``; device-local times converted to UTC with ``clock``."""
    uid: str | None = None
    package: str | None = None
    current: _Op | None = None
    for number, line in section.lines():
        if match := _UID.match(line):
            uid, package = match["uid"], None
        elif match := _PACKAGE.match(line):
            package = match["package"]
        elif (match := _OP.match(line)) and package is not None:
            if current is not None:
                yield _record(section, current, clock)
            current = _Op(line=number, uid=uid, package=package, op=match["op"], mode=match["mode"])
            continue
        elif (match := _EVENT.match(line)) and current is not None:
            when = device_time(match["when"], clock)
            (current.accesses if match["kind"] == "Access" else current.rejects).append((when, match["when"]))
            continue
        else:
            continue
        if current is not None:  # a Uid/Package line closes the operation being read
            yield _record(section, current, clock)
            current = None
    if current is not None:
        yield _record(section, current, clock)


class DumpsysAppOps(Artifact):
    id = "android.dumpsys.appops"
    kinds = ("androidqf", "bugreport")
    same_data = "dumpsys:appops"
    title = N_("App operations (dumpsys appops)")
    records = (AppOpEntry,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AppOpEntry]:
        clock = device_clock(evidence)
        assumed = 0
        for record in parse_appops(require_section(evidence, "appops", log=log), clock):
            assumed += record.timezone_assumed
            yield record
        if assumed:
            log.warn(clock.warning(tr("appops access/reject times")))
