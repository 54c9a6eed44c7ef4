"""A root binary (su, magisk, busybox...) was found on the device."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_files import AndroidRootBinary
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class AndroidRootBinaryPresent(Rule):
    id = "android.root_binary"
    title = N_("Device is rooted (root binary present)")
    severity = Severity.HIGH
    why = N_("A rooted phone lets any app that gets root read every other app's data; several spyware "
             "families root the device or rely on it. Ask whether the owner rooted it on purpose.")
    record_types = (AndroidRootBinary,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidRootBinary)
        yield Finding(record=record, message=tr("root binary present: %(path)s", path=record.path),
                      observable_type="file_path",
                      observable_value=record.path)
