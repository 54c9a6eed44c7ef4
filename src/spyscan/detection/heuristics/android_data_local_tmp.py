"""Files in ``/data/local/tmp/``.

The acquisition tool's own helper (androidqf's ``collector``) is recognised by the run rule
``android.acquisition_traces`` from ``acquisition.json`` (its path, and a time inside the acquisition),
never by its name alone: anyone can name a file ``collector``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_files import AndroidFile
from spyscan.records.base import Record
from spyscan.texts import N_, tr

TMP = "/data/local/tmp/"


class AndroidDataLocalTmp(Rule):
    id = "android.data_local_tmp"
    title = N_("File in /data/local/tmp")
    severity = Severity.MEDIUM
    why = N_("Tools and exploits pushed over USB are dropped and run in /data/local/tmp. Apart from the "
             "acquisition tool's own helper, nothing is expected there on an ordinary phone.")
    record_types = (AndroidFile,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidFile)
        path = posixpath.normpath(record.path)
        if not path.startswith(TMP) or path.rstrip("/") + "/" == TMP:
            return
        yield Finding(record=record, message=tr("file in /data/local/tmp: %(path)s", path=record.path),
                      observable_type="file_path",
                      observable_value=record.path)
