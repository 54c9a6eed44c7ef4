"""The call log in a backup: table ``calls`` of ``contacts2.db`` (Android up to 6, contacts provider) or of
``calllog.db`` (Android 7+, call log provider), as older backups and data copies hold them.

Columns (AOSP ``CallLog.Calls``): ``number``, ``name`` (cached contact name), ``date`` (ms since 1970),
``duration`` (s), ``type`` (1 incoming, 2 outgoing, 3 missed, 4 voicemail, 5 rejected, 6 blocked,
7 answered externally).
"""

from __future__ import annotations

from typing import Any

from spyscan.artifacts.android.ab_messages import stored_ms, stored_text
from spyscan.artifacts.android.backup_database import BackupDatabaseArtifact
from spyscan.records.android_backup import BackupCall
from spyscan.records.base import Record, SourceRef
from spyscan.texts import N_
from spyscan.values import to_int

CALL_TYPES = {"1": "incoming", "2": "outgoing", "3": "missed", "4": "voicemail", "5": "rejected", "6": "blocked",
              "7": "answered elsewhere"}


class BackupCallLog(BackupDatabaseArtifact):
    id = "android.backup.call_log"
    title = N_("Call log (contacts2.db, calllog.db)")
    records = (BackupCall,)
    databases = ("apps/com.android.providers.contacts/db/contacts2.db",
                 "apps/com.android.providers.contacts/db/calllog.db")
    table = "calls"
    columns = ("number", "name", "date", "duration", "type")
    required = ("number", "date")

    def record(self, row: dict[str, Any], ref: SourceRef) -> Record:
        kind = stored_text(row.get("type"))
        return BackupCall(source=ref, number=stored_text(row.get("number")), name=stored_text(row.get("name")),
                          direction=CALL_TYPES.get(kind or "", kind), duration=to_int(row.get("duration")),
                          date=stored_ms(row.get("date")), date_raw=stored_text(row.get("date")))
