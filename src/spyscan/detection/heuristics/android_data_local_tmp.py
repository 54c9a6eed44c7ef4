"""Files in ``/data/local/tmp/`` other than those of the acquisition tool."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_files import AndroidFile
from spyscan.records.base import Record
from spyscan.texts import N_, tr

TMP = "/data/local/tmp/"
# what androidqf itself pushes to the device while collecting
ACQUISITION_TOOL_NAMES = ("collector", "androidqf")


class AndroidDataLocalTmp(Rule):
    id = "android.data_local_tmp"
    title = N_("File in /data/local/tmp")
    severity = Severity.MEDIUM
    why = N_("/data/local/tmp is where tools and exploits pushed over ADB are dropped and run; outside the "
             "acquisition tool's own helper, nothing is expected there on an ordinary phone.")
    record_types = (AndroidFile,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidFile)
        path = posixpath.normpath(record.path)
        if not path.startswith(TMP) or path.rstrip("/") + "/" == TMP:
            return
        first = path[len(TMP):].split("/", 1)[0].lower()
        if any(first.startswith(name) for name in ACQUISITION_TOOL_NAMES):
            return
        yield Finding(record=record, message=tr("file in /data/local/tmp: %(path)s", path=record.path),
                      observable_type="file_path",
                      observable_value=record.path)
