"""Crash, jetsam and diagnostic reports (``.ips``): process names, paths and bundle ids, with times.

Read from a sysdiagnose (``crashes_and_spins/``, ``logs/CrashReporter`` ...), from a filesystem dump
(``/private/var/mobile/Library/Logs/CrashReporter/``, including its ``Retired`` folder) and from a copy of
that folder made over USB (``ios-crash-reports``, e.g. ``crash_reports/`` of ``spyscan collect ios``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios.fs_common import find_all, listed
from spyscan.artifacts.ios.parsers.ips import JETSAM_BUG_TYPES, parse_ips
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.textio import decode_bytes
from spyscan.faults import registered
from spyscan.records.base import SourceRef
from spyscan.records.ios_sysdiagnose import CrashReport
from spyscan.texts import N_, tr
from spyscan.timeutil import IOS_FLOOR, from_text

REPORT_LIMIT = 64 << 20
SPECS = (
    IOSPath(fs=(
        "private/var/mobile/Library/Logs/CrashReporter/*.ips",
        "private/var/mobile/Library/Logs/CrashReporter/**/*.ips",
        "crashes_and_spins/*.ips",
        "crashes_and_spins/**/*.ips",
        "CrashReporter/*.ips",
        "Retired/*.ips",
        "Panics/*.ips",
        "JetsamEvent/*.ips",
    )),
)
_FORMATS = ("%Y-%m-%d %H:%M:%S.%f %z", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S.%f%z")


@registered
def ips_time(raw: str | None) -> datetime | None:
    """``2023-05-01 10:00:00.00 +0200`` (report header) and ISO forms, as UTC (None for a sentinel, a time
    before the first iPhone or text that is no time: see ``spyscan.timeutil``)."""
    return from_text(raw, _FORMATS, IOS_FLOOR)


class CrashReports(Artifact):
    id = "ios.crash_reports"
    kinds = ("sysdiagnose", "ios-fs", "ios-crash-reports")
    title = N_("Crash and jetsam reports (.ips)")
    records = (CrashReport,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[CrashReport]:
        source = listed(evidence)
        unreadable = 0
        for file in find_all(source, SPECS, "crash reports (.ips)"):
            decoded = decode_bytes(source.ios_read(file, REPORT_LIMIT))
            parsed = parse_ips(decoded.text)
            if not parsed.readable:
                unreadable += 1
                continue
            kind = "jetsam" if parsed.bug_type in JETSAM_BUG_TYPES else (
                "crash" if parsed.paths or parsed.bug_type in ("109", "309") else "other")
            yield CrashReport(
                source=SourceRef(file=file.label), report_file=file.label, bug_type=parsed.bug_type,
                report_kind=kind, time=ips_time(parsed.time_raw), time_raw=parsed.time_raw,
                process=parsed.process, pid=parsed.pid, process_names=parsed.process_names, paths=parsed.paths,
                bundle_ids=parsed.bundle_ids, os_version=parsed.os_version, incident_id=parsed.incident_id,
            )
        if unreadable:
            log.warn(tr('%(unreadable)s .ips file(s) could not be read as reports', unreadable=unreadable))
