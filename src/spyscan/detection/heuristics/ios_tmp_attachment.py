"""A received Messages attachment stored in /var/tmp with a name ending in ``-1`` (Pegasus exploit trace)."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_messages import SMSAttachment
from spyscan.texts import N_, tr

TMP_DIRS = ("/var/tmp/", "/private/var/tmp/")  # noqa: S108 - device paths compared, never used


def is_tmp_dash_one(path: str | None) -> bool:
    if not path:
        return False
    value = path.strip()
    return value.startswith(TMP_DIRS) and value.endswith("-1")


class IOSTmpAttachment(Rule):
    id = "ios.tmp_attachment"
    title = N_("Received attachment in /var/tmp ending in -1")
    severity = Severity.HIGH
    why = N_("Zero-click iMessage exploit chains attributed to NSO Group's Pegasus left received attachments "
             "in /var/tmp named with a '-1' suffix; ordinary attachments live under ~/Library/SMS/Attachments.")
    record_types = (SMSAttachment,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, SMSAttachment) or record.direction == "sent":
            return
        if is_tmp_dash_one(record.filename):
            yield Finding(record=record, message=tr("received attachment stored as %(file)s", file=record.filename),
                          observable_type="file_path", observable_value=record.filename)
