"""Every file copied under ``FS/`` in a bugreport, with its path on the device and its time.

Zip entries store a wall-clock time without a zone (the device's local time). When the dumpstate's
properties give ``persist.sys.timezone`` it is used to convert the time to UTC; otherwise the
time is kept as if it were UTC and the record says no zone was known.
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.kinds.bugreport import FS_PREFIX, BugreportEvidence
from spyscan.records.android_bugreport import BugreportFileTimestamp
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr
from spyscan.timeutil import from_unix
from spyscan.values import raw_value


class BugreportFSTimestamps(Artifact):
    id = "android.bugreport.fs_timestamps"
    kinds = ("bugreport",)
    title = N_("Files under FS/ and their times")
    records = (BugreportFileTimestamp,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[BugreportFileTimestamp]:
        if not isinstance(evidence, BugreportEvidence):
            raise ArtifactNotFound(tr('not a bugreport'))
        files = evidence.fs_files()
        if not files:
            raise ArtifactNotFound(tr('no FS/ folder in this bugreport'))
        zipped = evidence.path.is_file()  # a folder's file times are real epoch times, not local text
        clock = evidence.device_clock()
        assumed = 0
        for item in files:
            mtime = raw = None
            stored = from_unix(item.mtime)  # a file's time: no floor (copying keeps any time)
            if stored is not None:
                raw = stored.replace(tzinfo=None).isoformat()
                mtime = clock.to_utc(stored.replace(tzinfo=None), raw) if zipped else stored
                assumed += zipped and clock.assumed
            elif item.mtime is not None:
                raw = str(raw_value(item.mtime))
            path = "/" + item.name[len(FS_PREFIX):]
            yield BugreportFileTimestamp(source=SourceRef(file=item.name), path=path, name=path.rsplit("/", 1)[-1],
                                         size=item.size, mtime=mtime, mtime_raw=raw,
                                         time_zone=clock.name if zipped else None,
                                         timezone_assumed=zipped and clock.assumed and mtime is not None)
        if assumed:
            log.warn(clock.warning(tr("zip entry times of FS/ files")))
