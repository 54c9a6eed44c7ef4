"""SMS/iMessage messages (``sms.db``: ``message`` + ``handle``) with the links they contain."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    blob,
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
    split_handle,
    text,
)
from spyscan.artifacts.ios._text import attributed_body_text
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.sqlite import has_table
from spyscan.links.text import links_in
from spyscan.records.base import SourceRef
from spyscan.records.ios_messages import SMSMessage
from spyscan.texts import N_, tr

REL = "Library/SMS/sms.db"
SMS_SPECS = (IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}",)),)
MESSAGE_COLUMNS = ("guid", "text", "attributedBody", "service", "date", "date_read", "is_from_me", "handle_id",
                   "account")


def direction(is_from_me: object) -> str | None:
    value = integer(is_from_me)
    return None if value is None else ("sent" if value else "received")


class SMSMessages(Artifact):
    id = "ios.sms"
    kinds = ("ios-backup", "ios-fs")
    title = N_("SMS and iMessage messages")
    records = (SMSMessage,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[SMSMessage]:
        source, files = find_files(evidence, SMS_SPECS, "sms.db")
        for file in files:
            with open_db(source, file, log) as conn:
                require_tables(conn, file, "message")
                m = present_columns(conn, "message", MESSAGE_COLUMNS, log, file.label)
                handles = "handle_id" in m and has_table(conn, "handle")
                select = ", ".join(f"{col('m', c, m)} AS {c}" for c in MESSAGE_COLUMNS)
                sql = (f"SELECT m.ROWID AS rid, {select}, {'h.id' if handles else 'NULL'} AS handle "
                       f"FROM message AS m {'LEFT JOIN handle AS h ON h.ROWID = m.handle_id' if handles else ''} "
                       "ORDER BY m.ROWID")
                undecoded = 0
                for row in rows(conn, sql):
                    body = text(row["text"])
                    from_archive = False
                    if body is None and row["attributedBody"] is not None:
                        body = attributed_body_text(blob(row["attributedBody"]))
                        from_archive = body is not None
                        undecoded += body is None
                    handle = text(row["handle"])
                    phone, email = split_handle(handle)
                    yield SMSMessage(
                        recovered=salvaged(conn),
                        source=SourceRef(file=file.label, table="message", rowid=integer(row["rid"])),
                        message_id=integer(row["rid"]),
                        guid=text(row["guid"]),
                        text=body,
                        text_from_attributed_body=from_archive,
                        links=links_in(body),
                        service=text(row["service"]),
                        direction=direction(row["is_from_me"]),
                        handle=handle,
                        handle_phone=phone,
                        handle_email=email,
                        account=text(row["account"]),
                        date=cocoa(row["date"]),
                        date_raw=raw_value(row["date"]),
                        date_read=cocoa(row["date_read"]),
                        date_read_raw=raw_value(row["date_read"]),
                    )
                if undecoded:
                    log.warn(tr('%(file)s: %(undecoded)s message(s) had an attributedBody whose text could not be '
                                'extracted', file=file.label, undecoded=undecoded))
