"""OSAnalytics daily network baseline (``com.apple.osanalytics.addaily.plist``: ``netUsageBaseline``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import find_files, read_plist
from spyscan.artifacts.ios._plist_values import when
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.faults import registered
from spyscan.records.base import SourceRef
from spyscan.records.ios_system import ADDailyUsage
from spyscan.texts import N_, tr
from spyscan.values import Raw, raw_value, to_float

REL = "Library/Preferences/com.apple.osanalytics.addaily.plist"
SPECS = (
    IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}", f"private/var/root/{REL}")),
    IOSPath(domain="RootDomain", relative=REL),
)


@registered
def _when(value: object) -> tuple[datetime | None, Raw]:
    """A plist date or a Cocoa number, with the stored value."""
    return when(value), raw_value(value)


def _counter(values: list[object], index: int) -> float | None:
    return to_float(values[index]) if index < len(values) else None


class OSAnalyticsADDaily(Artifact):
    id = "ios.osanalytics_addaily"
    kinds = ("ios-backup", "ios-fs")
    title = N_("OSAnalytics daily network usage (ADDaily)")
    records = (ADDailyUsage,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[ADDailyUsage]:
        source, files = find_files(evidence, SPECS, "com.apple.osanalytics.addaily.plist")
        for file in files:
            data = read_plist(source, file, log)
            baseline = data.get("netUsageBaseline") if isinstance(data, dict) else None
            if not isinstance(baseline, dict):
                log.warn(tr('%(file)s: no netUsageBaseline dictionary', file=file.label))
                continue
            for name, values in baseline.items():
                if not isinstance(values, list):
                    log.warn(tr("%(file)s: netUsageBaseline entry '%(name)s' is not a list", file=file.label,
                                name=name))
                    continue
                stamp, raw = _when(values[0] if values else None)
                process = str(name)
                yield ADDailyUsage(
                    source=SourceRef(file=file.label, key=f"netUsageBaseline/{process}"),
                    process=process,
                    app_id=process if "." in process and "/" not in process else None,
                    timestamp=stamp,
                    timestamp_raw=raw,
                    wifi_in=_counter(values, 1),
                    wifi_out=_counter(values, 2),
                    wwan_in=_counter(values, 3),
                    wwan_out=_counter(values, 4),
                )
