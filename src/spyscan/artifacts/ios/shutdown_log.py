"""``shutdown.log``: per reboot, the processes still running at shutdown and how long they held it up.

Read from ``/private/var/db/diagnostics/`` in a filesystem dump (with its rotated ``shutdown.N.log``
copies; iOS 26 rotates/rewrites the log at boot, e.g. ``shutdown.0.log``) and from the copies a
sysdiagnose carries (``system_logs.logarchive/Extra/shutdown.log``; iOS 26 may name it
``shutdown.0.log``). A reboot found identically in two files (rotation copies) is reported once.

After the reboots, one ``ShutdownLogCoverage`` record says what the log covers: how many reboots, the first
and the last one, and the iOS version (from iOS 26 the log is rewritten at each boot, so a short history
is expected there; before iOS 26 it keeps the reboots since the device was set up or restored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._system_version import SYSTEM_VERSION_SPECS, major_of, stated_ios_version
from spyscan.artifacts.ios.fs_common import find_all, listed, text_lines
from spyscan.artifacts.ios.parsers.shutdown_log import ParsedReboot, parse_shutdown_log
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSFile, IOSPath
from spyscan.kinds.ios_fs import ListedIOSEvidence
from spyscan.records.base import SourceRef
from spyscan.records.ios_shutdown import ShutdownClient, ShutdownLogCoverage, ShutdownReboot
from spyscan.texts import N_, tr
from spyscan.timeutil import IOS_FLOOR, from_unix

SPECS = (
    IOSPath(fs=(
        "private/var/db/diagnostics/shutdown.log",
        "private/var/db/diagnostics/shutdown.*.log",
        "private/var/db/diagnostics/Extra/shutdown*.log",
    )),
)
VERSION_SPECS = SYSTEM_VERSION_SPECS  # declared here so that dumps read as tar streams keep the plist
REWRITTEN_FROM_MAJOR = 26  # iOS 26 rewrites shutdown.log at each boot (iVerify; field-reports §1.C5)
_ROTATION = re.compile(r"shutdown\.(\d{1,9})\.log$", re.ASCII)


def _age_order(file: IOSFile) -> tuple[int, str]:
    """Oldest first: a higher rotation number is older; the live ``shutdown.log`` comes last."""
    found = _ROTATION.search(file.label)
    return (-int(found.group(1)) if found else 1, file.label)


def base_name(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def to_record(reboot: ParsedReboot, label: str) -> ShutdownReboot:
    clients = [ShutdownClient(pid=c.pid, path=c.path, name=base_name(c.path), delayed=c.delayed, waited=c.waited,
                              raw_path=c.raw_path) for c in reboot.clients]
    paths = sorted({c.path for c in clients if c.path})
    names = sorted({c.name for c in clients if c.name})
    return ShutdownReboot(
        source=SourceRef(file=label, line=reboot.first_line),
        reboot_time=from_unix(reboot.time_raw, IOS_FLOOR),
        reboot_time_raw=reboot.time_raw,
        clients=clients,
        client_paths=paths,
        client_names=names,
        delays=len(reboot.delays),
        waited_seconds=reboot.waited,
        delayed_clients=len(reboot.delayed_clients),
        complete=reboot.complete,
        log_file=label,
    )


class ShutdownLog(Artifact):
    id = "ios.shutdown_log"
    kinds = ("ios-fs", "sysdiagnose")
    title = N_("Shutdown log (processes running at reboot)")
    records = (ShutdownReboot, ShutdownLogCoverage)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[ShutdownReboot | ShutdownLogCoverage]:
        source = listed(evidence)
        files = sorted(find_all(source, SPECS, "shutdown.log"), key=_age_order)
        seen: set[tuple[object, ...]] = set()
        times: list[tuple[float, str]] = []
        cut = 0
        for file in files:
            reboots = parse_shutdown_log(text_lines(source, file, log))
            if not reboots:
                log.warn(tr('%(file)s: no shutdown entries found', file=file.label))
            for reboot in reboots:
                key = (reboot.time_raw, tuple((c.pid, c.path, c.delayed) for c in reboot.clients),
                       tuple(reboot.delays))
                if key in seen:
                    continue
                seen.add(key)
                if not reboot.complete:
                    cut += 1
                    log.warn(tr('%(file)s: the last shutdown entry (from line %(first_line)s) has no SIGTERM line; '
                                'the log was cut or rewritten', file=file.label, first_line=reboot.first_line))
                elif reboot.time_raw is not None:
                    times.append((float(reboot.time_raw), reboot.time_raw))
                yield to_record(reboot, file.label)
        yield self._coverage(source, files, sorted(times), len(seen) - cut, cut, log)

    @staticmethod
    def _coverage(source: ListedIOSEvidence, files: list[IOSFile], times: list[tuple[float, str]], reboots: int,
                  cut: int, log: ArtifactLog) -> ShutdownLogCoverage:
        version = stated_ios_version(source, log)
        major = major_of(version)
        first = times[0][1] if times else None
        last = times[-1][1] if times else None
        return ShutdownLogCoverage(
            source=SourceRef(file=files[-1].label), log_files=[f.label for f in files], reboots=reboots,
            first_reboot=from_unix(first, IOS_FLOOR), first_reboot_raw=first,
            last_reboot=from_unix(last, IOS_FLOOR), last_reboot_raw=last, cut_entries=cut,
            ios_version=version, rewritten_at_boot=None if major is None else major >= REWRITTEN_FROM_MAJOR,
        )
