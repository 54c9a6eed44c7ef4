"""Every file copied under ``FS/`` in a bugreport, with its path on the device and its time.

Zip entries store a wall-clock time without a zone (the device's local time). When the dumpstate's
properties give ``persist.sys.timezone`` it is used to convert the time to UTC; otherwise the
time is kept as if it were UTC and the record says no zone was known.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from spyscan.artifacts.android.bugreport_getprop import device_properties
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.kinds.bugreport import FS_PREFIX, BugreportEvidence
from spyscan.records.android_bugreport import BugreportFileTimestamp
from spyscan.records.base import SourceRef

TZ_PROPERTY = "persist.sys.timezone"


def _zone(evidence: BugreportEvidence, log: ArtifactLog) -> ZoneInfo | None:
    name = device_properties(evidence).get(TZ_PROPERTY, "").strip()
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warn(f"unknown device time zone {name!r}; file times kept as stored")
        return None


class BugreportFSTimestamps(Artifact):
    id = "android.bugreport.fs_timestamps"
    kinds = ("bugreport",)
    title = "Files under FS/ and their times"
    records = (BugreportFileTimestamp,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[BugreportFileTimestamp]:
        if not isinstance(evidence, BugreportEvidence):
            raise ArtifactNotFound("not a bugreport")
        files = evidence.fs_files()
        if not files:
            raise ArtifactNotFound("no FS/ folder in this bugreport")
        zone = _zone(evidence, log) if evidence.path.is_file() else None
        for item in files:
            mtime = raw = None
            if item.mtime is not None:
                stored = datetime.fromtimestamp(item.mtime, UTC)
                raw = stored.replace(tzinfo=None).isoformat()
                mtime = stored.replace(tzinfo=zone).astimezone(UTC) if zone is not None else stored
            path = "/" + item.name[len(FS_PREFIX):]
            yield BugreportFileTimestamp(source=SourceRef(file=item.name), path=path, name=path.rsplit("/", 1)[-1],
                                         size=item.size, mtime=mtime, mtime_raw=raw,
                                         time_zone=str(zone) if zone is not None else None)
