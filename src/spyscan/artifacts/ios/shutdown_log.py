"""``shutdown.log``: per reboot, the processes still running at shutdown and how long they held it up.

Read from ``/private/var/db/diagnostics/`` in a filesystem dump (with its rotated ``shutdown.N.log``
copies; iOS 26 rotates/rewrites the log at boot, e.g. ``shutdown.0.log``) and from the copies a
sysdiagnose carries (``system_logs.logarchive/Extra/shutdown.log``). A reboot found identically in two
files (rotation copies) is reported once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios.fs_common import find_all, listed, text_lines
from spyscan.artifacts.ios.parsers.shutdown_log import ParsedReboot, parse_shutdown_log
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSFile, IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_shutdown import ShutdownClient, ShutdownReboot
from spyscan.timeutil import IOS_FLOOR, from_unix

SPECS = (
    IOSPath(fs=(
        "private/var/db/diagnostics/shutdown.log",
        "private/var/db/diagnostics/shutdown.*.log",
        "private/var/db/diagnostics/Extra/shutdown*.log",
    )),
)
_ROTATION = re.compile(r"shutdown\.(\d{1,9})\.log$", re.ASCII)


def _age_order(file: IOSFile) -> tuple[int, str]:
    """Oldest first: a higher rotation number is older; the live ``shutdown.log`` comes last."""
    found = _ROTATION.search(file.label)
    return (-int(found.group(1)) if found else 1, file.label)


def base_name(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def to_record(reboot: ParsedReboot, label: str) -> ShutdownReboot:
    clients = [ShutdownClient(pid=c.pid, path=c.path, name=base_name(c.path), delayed=c.delayed, waited=c.waited)
               for c in reboot.clients]
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
    title = "Shutdown log (processes running at reboot)"
    records = (ShutdownReboot,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[ShutdownReboot]:
        source = listed(evidence)
        seen: set[tuple[object, ...]] = set()
        for file in sorted(find_all(source, SPECS, "shutdown.log"), key=_age_order):
            reboots = parse_shutdown_log(text_lines(source, file, log))
            if not reboots:
                log.warn(f"{file.label}: no shutdown entries found")
            for reboot in reboots:
                key = (reboot.time_raw, tuple((c.pid, c.path, c.delayed) for c in reboot.clients),
                       tuple(reboot.delays))
                if key in seen:
                    continue
                seen.add(key)
                if not reboot.complete:
                    log.warn(f"{file.label}: the last shutdown entry (from line {reboot.first_line}) has no "
                             "SIGTERM line; the log was cut or rewritten")
                yield to_record(reboot, file.label)
