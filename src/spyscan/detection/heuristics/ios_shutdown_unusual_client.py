"""A process still running at shutdown whose binary lives outside the system locations.

Legitimate iOS processes run from the sealed system volume (``/System``, ``/usr``, ``/sbin``...), from
cryptexes, or from app bundles. Spyware found in the wild (Pegasus, Reign, Predator) ran from data
locations such as ``/private/var/db/`` and ``/private/var/tmp/``, and shutdown.log keeps the path of
every process that was slow to exit. Paths are compared without the trailing ``/<UUID>`` component that
iOS 26 appends (the parser removes it; the message shows the path as written too).
"""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_shutdown import ShutdownReboot
from spyscan.texts import N_, tr
from spyscan.timeutil import iso

SYSTEM_PREFIXES = (
    "/System/", "/usr/", "/sbin/", "/bin/", "/Applications/", "/Developer/", "/Library/",
    "/private/var/containers/Bundle/Application/", "/private/preboot/Cryptexes/", "/System/Cryptexes/",
    "/private/var/staged_system_apps/", "/AppleInternal/", "/private/preboot/",
)
HIGH_RISK_PREFIXES = ("/private/var/db/", "/private/var/tmp/", "/private/var/root/", "/private/tmp/")


def normalise(path: str) -> str:
    if path.startswith(("/var/", "/tmp/")):  # noqa: S108 - device paths, not local temp files
        return "/private" + path
    return path


def classify(path: str) -> Severity | None:
    """None for a system location; HIGH for spyware-typical data folders; MEDIUM for any other place."""
    if not path:
        return None
    full = normalise(path)
    if full.startswith(HIGH_RISK_PREFIXES):
        return Severity.HIGH
    if full.startswith(SYSTEM_PREFIXES):
        return None
    return Severity.MEDIUM


class ShutdownUnusualClient(Rule):
    id = "ios.shutdown_unusual_client"
    title = N_("Process running at shutdown from a non-system location")
    severity = Severity.HIGH
    why = N_("shutdown.log keeps the path of processes still running at reboot; iOS processes run from the "
             "system volume or app bundles, while known spyware ran from /private/var/db/ or /private/var/tmp/.")
    record_types = (ShutdownReboot,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, ShutdownReboot)
        when: str = iso(record.reboot_time) or tr("an unknown time")
        for client in record.clients:
            severity = classify(client.path)
            if severity is None:
                continue
            if client.raw_path:
                message = tr("reboot at %(when)s: process %(process)s (pid %(pid)s) was still running from %(path)s "
                             "(written %(raw)s), outside the system locations", when=when, process=client.name or "?",
                             pid=client.pid, path=client.path, raw=client.raw_path)
            else:
                message = tr("reboot at %(when)s: process %(process)s (pid %(pid)s) was still running from %(path)s, "
                             "outside the system locations", when=when, process=client.name or "?", pid=client.pid,
                             path=client.path)
            yield Finding(
                record=record,
                message=message,
                severity=severity,
                observable_type="file_path",
                observable_value=client.path,
            )
