"""CoreDuet interactions (``interactionC.db``: ``ZINTERACTIONS``, ``ZCONTACTS``, ``ZATTACHMENT``).

Senders are ``ZINTERACTIONS.ZSENDER`` → ``ZCONTACTS``; recipients and attachments are linked through Core
Data join tables whose entity numbers vary by iOS version (``Z_2INTERACTIONRECIPIENT``,
``Z_1INTERACTIONS`` ...): they are found by column name (see ``_coredata``). Content URLs, account and
contact identifiers are observables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    cocoa,
    col,
    databases,
    integer,
    present_columns,
    raw_value,
    rows,
    salvaged,
    split_handle,
    text,
)
from spyscan.artifacts.ios._coredata import join_pairs
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.sqlite import has_table
from spyscan.records.base import Record, SourceRef
from spyscan.records.ios_people import InteractionCAttachment, InteractionCContact, InteractionCEvent
from spyscan.texts import N_

REL = "Library/CoreDuet/People/interactionC.db"
SPECS = (IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}",)),)
INTERACTION_COLUMNS = ("ZBUNDLEID", "ZTARGETBUNDLEID", "ZACCOUNT", "ZDOMAINIDENTIFIER", "ZGROUPNAME", "ZCONTENTURL",
                       "ZDIRECTION", "ZMECHANISM", "ZSENDER", "ZSTARTDATE", "ZENDDATE")
CONTACT_COLUMNS = ("ZDISPLAYNAME", "ZIDENTIFIER", "ZCUSTOMIDENTIFIER", "ZPERSONID", "ZCREATIONDATE")
ATTACHMENT_COLUMNS = ("ZCONTENTURL", "ZIDENTIFIER", "ZUTI", "ZCONTENTTEXT", "ZCREATIONDATE")


class InteractionC(Artifact):
    id = "ios.interactionc"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Interactions (interactionC.db)")
    records = (InteractionCEvent, InteractionCContact, InteractionCAttachment)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Record]:
        for file, conn in databases(evidence, SPECS, "interactionC.db", log, "ZINTERACTIONS"):
            contacts = has_table(conn, "ZCONTACTS")
            i = present_columns(conn, "ZINTERACTIONS", INTERACTION_COLUMNS, log, file.label)
            c = present_columns(conn, "ZCONTACTS", CONTACT_COLUMNS, log, file.label) if contacts else set()
            join = "LEFT JOIN ZCONTACTS AS c ON c.Z_PK = i.ZSENDER" if contacts and "ZSENDER" in i else ""
            select = ", ".join(f"{col('i', x, i)} AS {x}" for x in INTERACTION_COLUMNS)
            sender = col("c", "ZIDENTIFIER", c) if join else "NULL"
            sender_name = col("c", "ZDISPLAYNAME", c) if join else "NULL"
            sql = (f"SELECT i.Z_PK AS pk, {select}, {sender} AS sender, {sender_name} AS sender_name "
                   f"FROM ZINTERACTIONS AS i {join} ORDER BY i.Z_PK")
            identifiers = self._identifiers(conn) if contacts and "ZIDENTIFIER" in c else {}
            recipients = join_pairs(conn, "INTERACTIONRECIPIENT", "RECIPIENTS") or {}
            attachments = join_pairs(conn, "INTERACTIONS", "ATTACHMENTS") or {}
            for row in rows(conn, sql):
                account = text(row["ZACCOUNT"])
                sender_id = text(row["sender"])
                pk = integer(row["pk"])
                to = [identifiers[k] for k in recipients.get(pk or -1, []) if k in identifiers]
                yield InteractionCEvent(
                    recovered=salvaged(conn),
                    source=SourceRef(file=file.label, table="ZINTERACTIONS", rowid=pk),
                    interaction_id=pk,
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
                    sender_name=text(row["sender_name"]),
                    recipients=to,
                    recipient_emails=[e for r in to if (e := split_handle(r)[1])],
                    attachment_ids=attachments.get(pk or -1, []),
                    start=cocoa(row["ZSTARTDATE"]),
                    start_raw=raw_value(row["ZSTARTDATE"]),
                    end=cocoa(row["ZENDDATE"]),
                    end_raw=raw_value(row["ZENDDATE"]),
                )
            owners: dict[int, list[int]] = {}
            for interaction, keys in attachments.items():
                for key in keys:
                    owners.setdefault(key, []).append(interaction)
            if contacts:
                yield from self._contacts(conn, file.label, c)
            if has_table(conn, "ZATTACHMENT"):
                a = present_columns(conn, "ZATTACHMENT", ATTACHMENT_COLUMNS, log, file.label)
                yield from self._attachments(conn, file.label, a, owners)

    @staticmethod
    def _identifiers(conn: sqlite3.Connection) -> dict[int, str]:
        found = {}
        for row in rows(conn, "SELECT Z_PK AS pk, ZIDENTIFIER AS identifier FROM ZCONTACTS"):
            pk, identifier = integer(row["pk"]), text(row["identifier"])
            if pk is not None and identifier:
                found[pk] = identifier
        return found

    @staticmethod
    def _contacts(conn: sqlite3.Connection, label: str, c: set[str]) -> Iterator[InteractionCContact]:
        select = ", ".join(f"{col('c', x, c)} AS {x}" for x in CONTACT_COLUMNS)
        for row in rows(conn, f"SELECT c.Z_PK AS pk, {select} FROM ZCONTACTS AS c ORDER BY c.Z_PK"):
            identifier = text(row["ZIDENTIFIER"])
            yield InteractionCContact(
                recovered=salvaged(conn),
                source=SourceRef(file=label, table="ZCONTACTS", rowid=integer(row["pk"])),
                contact_id=integer(row["pk"]),
                display_name=text(row["ZDISPLAYNAME"]),
                identifier=identifier,
                identifier_email=split_handle(identifier)[1],
                custom_identifier=text(row["ZCUSTOMIDENTIFIER"]),
                person_id=text(row["ZPERSONID"]),
                creation=cocoa(row["ZCREATIONDATE"]),
                creation_raw=raw_value(row["ZCREATIONDATE"]),
            )

    @staticmethod
    def _attachments(conn: sqlite3.Connection, label: str, a: set[str],
                     owners: dict[int, list[int]]) -> Iterator[InteractionCAttachment]:
        # ZIDENTIFIER is a UUID blob on recent versions: shown as hex
        select = ", ".join(f"CASE WHEN typeof(a.{x}) = 'blob' THEN hex(a.{x}) ELSE a.{x} END AS {x}"
                           if x == "ZIDENTIFIER" and x in a else f"{col('a', x, a)} AS {x}"
                           for x in ATTACHMENT_COLUMNS)
        for row in rows(conn, f"SELECT a.Z_PK AS pk, {select} FROM ZATTACHMENT AS a ORDER BY a.Z_PK"):
            pk = integer(row["pk"])
            yield InteractionCAttachment(
                recovered=salvaged(conn),
                source=SourceRef(file=label, table="ZATTACHMENT", rowid=pk),
                attachment_id=pk,
                interaction_ids=owners.get(pk or -1, []),
                content_url=text(row["ZCONTENTURL"]),
                identifier=text(row["ZIDENTIFIER"]),
                uti=text(row["ZUTI"]),
                content_text=text(row["ZCONTENTTEXT"]),
                creation=cocoa(row["ZCREATIONDATE"]),
                creation_raw=raw_value(row["ZCREATIONDATE"]),
            )
