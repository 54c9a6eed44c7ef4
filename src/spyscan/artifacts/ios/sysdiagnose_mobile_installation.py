"""MobileInstallation logs: app install, update and uninstall events with their bundle ids."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios.fs_common import find_all, listed, text_lines
from spyscan.artifacts.ios.parsers.mobile_installation import parse_install_line
from spyscan.evidence.android_time import device_clock
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_sysdiagnose import InstallEvent
from spyscan.texts import N_, tr
from spyscan.timeutil import IOS_FLOOR

SPECS = (
    IOSPath(fs=(
        "private/var/installd/Library/Logs/MobileInstallation/mobile_installation.log*",
        "logs/MobileInstallation/mobile_installation.log*",
    )),
)


class MobileInstallationLog(Artifact):
    id = "ios.mobile_installation"
    kinds = ("sysdiagnose", "ios-fs")
    title = N_("App installs and uninstalls (mobile_installation.log)")
    records = (InstallEvent,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[InstallEvent]:
        source = listed(evidence)
        clock = device_clock(evidence)  # a sysdiagnose's name gives the offset; a filesystem dump does not
        assumed = 0
        for file in find_all(source, SPECS, "mobile_installation.log"):
            events = 0
            for number, line in text_lines(source, file, log, line_ended=True):
                event = parse_install_line(line)
                if event is None:
                    continue
                events += 1
                yield InstallEvent(
                    source=SourceRef(file=file.label, line=number), action=event.action,
                    bundle_id=event.bundle_id, version=event.version,
                    time=clock.to_utc(event.time, event.time_raw, IOS_FLOOR) if event.time else None,
                    time_raw=event.time_raw, log_file=file.label, time_zone=clock.name,
                    timezone_assumed=clock.assumed and event.time is not None,
                )
                assumed += bool(clock.assumed and event.time is not None)
            if not events:
                log.warn(tr('%(file)s: no installation event found (damaged, or not a mobile_installation log?)',
                            file=file.label))
        if assumed:
            log.warn(clock.warning(tr("mobile_installation.log times")))
