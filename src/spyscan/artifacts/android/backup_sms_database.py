"""SMS from the telephony provider's own database in a backup (``apps/com.android.providers.telephony/db/
mmssms.db``), as older backups and data copies hold it (newer backups hold JSON: ``ab_messages``).

Table ``sms`` (AOSP ``Telephony.TextBasedSmsColumns``): ``address``, ``body``, ``date`` (ms since 1970),
``date_sent`` (ms; 0 when unknown), ``type`` (1 received, 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued),
``read``. The records are those of the JSON backups, so links in the bodies are matched the same way.
"""

from __future__ import annotations

from typing import Any

from spyscan.artifacts.android.ab_messages import BOXES, read_flag, stored_ms, stored_text
from spyscan.artifacts.android.backup_database import BackupDatabaseArtifact
from spyscan.links.text import links_in
from spyscan.records.android_backup import BackupSMS
from spyscan.records.base import Record, SourceRef
from spyscan.texts import N_


class BackupSmsDatabase(BackupDatabaseArtifact):
    id = "android.backup.sms_database"
    title = N_("SMS (telephony database mmssms.db)")
    records = (BackupSMS,)
    databases = ("apps/com.android.providers.telephony/db/mmssms.db",)
    table = "sms"
    columns = ("address", "body", "date", "date_sent", "type", "read")
    required = ("body",)

    def record(self, row: dict[str, Any], ref: SourceRef) -> Record:
        body = stored_text(row.get("body"))
        kind = stored_text(row.get("type"))
        return BackupSMS(source=ref, address=stored_text(row.get("address")), body=body, links=links_in(body),
                         direction=BOXES.get(kind or "", kind), read=read_flag(row.get("read")),
                         date=stored_ms(row.get("date")), date_raw=stored_text(row.get("date")),
                         date_sent=stored_ms(row.get("date_sent")), date_sent_raw=stored_text(row.get("date_sent")))
