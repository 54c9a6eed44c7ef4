"""Configuration profile installs recorded by the device."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_profiles import IOSProfileEvent
from spyscan.texts import N_, tr

# processes through which a person installs a profile themselves
INTERACTIVE = ("com.apple.preferences", "com.apple.mobilesafari", "preferences", "profiled")


class IOSProfileInstallEvent(Rule):
    id = "ios.profile_install_event"
    title = N_("Configuration profile installed")
    severity = Severity.INFO
    why = N_("Profiles can change VPN, proxy, certificate, notification and management settings. Each install "
             "is listed so that the owner can confirm it; installs by an unusual process deserve a closer look.")
    record_types = (IOSProfileEvent,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, IOSProfileEvent) or (record.operation or "").lower() != "install":
            return
        process: str = record.process or tr("an unknown process")
        usual = any(record.process and record.process.lower().startswith(p) for p in INTERACTIVE)
        yield Finding(record=record, severity=Severity.INFO if usual else Severity.LOW,
                      observable_type="profile_id", observable_value=record.profile_id,
                      message=tr("configuration profile %(profile)s installed by %(process)s",
                                 profile=record.profile_id,
                                 process=process))
