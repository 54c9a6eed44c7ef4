"""CoreDuet interactions (``interactionC.db``: ``ZINTERACTIONS``, ``ZCONTACTS``, ``ZATTACHMENT``).

Unlike the reference tool, content URLs and account identifiers are declared as observables, so
they are matched against indicators too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    cocoa,
    col,
    find_files,
    integer,
    number,
    open_db,
    present_columns,
    require_tables,
    rows,
    split_handle,
    text,
)
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.sqlite import has_table
from spyscan.records.base import Record, SourceRef
from spyscan.records.ios_people import InteractionCAttachment, InteractionCContact, InteractionCEvent

REL = "Library/CoreDuet/People/interactionC.db"
SPECS = (IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}",)),)
INTERACTION_COLUMNS = ("ZBUNDLEID", "ZTARGETBUNDLEID", "ZACCOUNT", "ZDOMAINIDENTIFIER", "ZGROUPNAME", "ZCONTENTURL",
                       "ZDIRECTION", "ZMECHANISM", "ZSENDER", "ZSTARTDATE", "ZENDDATE")
CONTACT_COLUMNS = ("ZDISPLAYNAME", "ZIDENTIFIER", "ZCUSTOMIDENTIFIER", "ZPERSONID", "ZCREATIONDATE")
ATTACHMENT_COLUMNS = ("ZCONTENTURL", "ZIDENTIFIER", "ZUTI", "ZCONTENTTEXT", "ZCREATIONDATE")


class InteractionC(Artifact):
    id = "ios.interactionc"
    kinds = ("ios-backup", "ios-fs")
    title = "Interactions (interactionC.db)"
    records = (InteractionCEvent, InteractionCContact, InteractionCAttachment)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Record]:
        source, files = find_files(evidence, SPECS, "interactionC.db")
        for file in files:
            with open_db(source, file) as conn:
                require_tables(conn, file, "ZINTERACTIONS")
                contacts = has_table(conn, "ZCONTACTS")
                i = present_columns(conn, "ZINTERACTIONS", INTERACTION_COLUMNS, log, file.label)
                c = present_columns(conn, "ZCONTACTS", CONTACT_COLUMNS, log, file.label) if contacts else set()
                join = "LEFT JOIN ZCONTACTS AS c ON c.Z_PK = i.ZSENDER" if contacts and "ZSENDER" in i else ""
                select = ", ".join(f"{col('i', x, i)} AS {x}" for x in INTERACTION_COLUMNS)
                sender = col("c", "ZIDENTIFIER", c) if join else "NULL"
                sql = (f"SELECT i.Z_PK AS pk, {select}, {sender} AS sender FROM ZINTERACTIONS AS i {join} "
                       "ORDER BY i.Z_PK")
                for row in rows(conn, sql):
                    account = text(row["ZACCOUNT"])
                    sender_id = text(row["sender"])
                    yield InteractionCEvent(
                        source=SourceRef(file=file.label, table="ZINTERACTIONS", rowid=integer(row["pk"])),
                        interaction_id=integer(row["pk"]),
                        bundle_id=text(row["ZBUNDLEID"]),
                        target_bundle_id=text(row["ZTARGETBUNDLEID"]),
                        account=account,
                        account_email=split_handle(account)[1],
                        domain_identifier=text(row["ZDOMAINIDENTIFIER"]),
                        group_name=text(row["ZGROUPNAME"]),
                        content_url=text(row["ZCONTENTURL"]),
                        direction=integer(row["ZDIRECTION"]),
                        mechanism=integer(row["ZMECHANISM"]),
                        sender=sender_id,
                        sender_email=split_handle(sender_id)[1],
                        start=cocoa(row["ZSTARTDATE"]),
                        start_raw=number(row["ZSTARTDATE"]),
                        end=cocoa(row["ZENDDATE"]),
                        end_raw=number(row["ZENDDATE"]),
                    )
                if contacts:
                    yield from self._contacts(conn, file.label, c)
                if has_table(conn, "ZATTACHMENT"):
                    a = present_columns(conn, "ZATTACHMENT", ATTACHMENT_COLUMNS, log, file.label)
                    yield from self._attachments(conn, file.label, a)

    @staticmethod
    def _contacts(conn: sqlite3.Connection, label: str, c: set[str]) -> Iterator[InteractionCContact]:
        select = ", ".join(f"{col('c', x, c)} AS {x}" for x in CONTACT_COLUMNS)
        for row in rows(conn, f"SELECT c.Z_PK AS pk, {select} FROM ZCONTACTS AS c ORDER BY c.Z_PK"):
            identifier = text(row["ZIDENTIFIER"])
            yield InteractionCContact(
                source=SourceRef(file=label, table="ZCONTACTS", rowid=integer(row["pk"])),
                contact_id=integer(row["pk"]),
                display_name=text(row["ZDISPLAYNAME"]),
                identifier=identifier,
                identifier_email=split_handle(identifier)[1],
                custom_identifier=text(row["ZCUSTOMIDENTIFIER"]),
                person_id=text(row["ZPERSONID"]),
                creation=cocoa(row["ZCREATIONDATE"]),
                creation_raw=number(row["ZCREATIONDATE"]),
            )

    @staticmethod
    def _attachments(conn: sqlite3.Connection, label: str, a: set[str]) -> Iterator[InteractionCAttachment]:
        select = ", ".join(f"{col('a', x, a)} AS {x}" for x in ATTACHMENT_COLUMNS)
        for row in rows(conn, f"SELECT a.Z_PK AS pk, {select} FROM ZATTACHMENT AS a ORDER BY a.Z_PK"):
            yield InteractionCAttachment(
                source=SourceRef(file=label, table="ZATTACHMENT", rowid=integer(row["pk"])),
                attachment_id=integer(row["pk"]),
                content_url=text(row["ZCONTENTURL"]),
                identifier=text(row["ZIDENTIFIER"]),
                uti=text(row["ZUTI"]),
                content_text=text(row["ZCONTENTTEXT"]),
                creation=cocoa(row["ZCREATIONDATE"]),
                creation_raw=number(row["ZCREATIONDATE"]),
            )
