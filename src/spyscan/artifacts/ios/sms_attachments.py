"""SMS/iMessage attachments (``sms.db``: ``attachment`` + ``message_attachment_join``)."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    cocoa,
    col,
    find_files,
    integer,
    open_db,
    present_columns,
    raw_value,
    require_tables,
    rows,
    salvaged,
    text,
)
from spyscan.artifacts.ios.sms import SMS_SPECS, direction
from spyscan.evidence.base import Evidence
from spyscan.evidence.sqlite import has_table
from spyscan.records.base import SourceRef
from spyscan.records.ios_messages import SMSAttachment
from spyscan.texts import N_

COLUMNS = ("guid", "created_date", "filename", "mime_type", "transfer_name", "total_bytes", "is_outgoing")


class SMSAttachments(Artifact):
    id = "ios.sms_attachments"
    kinds = ("ios-backup", "ios-fs")
    title = N_("SMS and iMessage attachments")
    records = (SMSAttachment,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[SMSAttachment]:
        source, files = find_files(evidence, SMS_SPECS, "sms.db")
        for file in files:
            with open_db(source, file, log) as conn:
                require_tables(conn, file, "attachment")
                a = present_columns(conn, "attachment", COLUMNS, log, file.label)
                joined = has_table(conn, "message_attachment_join") and has_table(conn, "message")
                handles = joined and has_table(conn, "handle")
                select = ", ".join(f"{col('a', c, a)} AS {c}" for c in COLUMNS)
                sql = f"""SELECT a.ROWID AS rid, {select},
                          {'j.message_id' if joined else 'NULL'} AS message_id,
                          {'m.is_from_me' if joined else 'NULL'} AS is_from_me,
                          {'h.id' if handles else 'NULL'} AS handle
                          FROM attachment AS a
                          {'''LEFT JOIN message_attachment_join AS j ON j.attachment_id = a.ROWID
                          LEFT JOIN message AS m ON m.ROWID = j.message_id''' if joined else ''}
                          {'LEFT JOIN handle AS h ON h.ROWID = m.handle_id' if handles else ''}
                          ORDER BY a.ROWID"""
                for row in rows(conn, sql):
                    way = direction(row["is_from_me"])
                    if way is None:
                        way = direction(row["is_outgoing"])
                    yield SMSAttachment(
                        recovered=salvaged(conn),
                        source=SourceRef(file=file.label, table="attachment", rowid=integer(row["rid"])),
                        attachment_id=integer(row["rid"]),
                        message_id=integer(row["message_id"]),
                        guid=text(row["guid"]),
                        filename=text(row["filename"]),
                        mime_type=text(row["mime_type"]),
                        transfer_name=text(row["transfer_name"]),
                        total_bytes=integer(row["total_bytes"]),
                        direction=way,
                        handle=text(row["handle"]),
                        created=cocoa(row["created_date"]),
                        created_raw=raw_value(row["created_date"]),
                    )
