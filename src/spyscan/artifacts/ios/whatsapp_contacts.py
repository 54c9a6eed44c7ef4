"""WhatsApp contacts (``ContactsV2.sqlite``: ``ZWAADDRESSBOOKCONTACT``), with links in their "about" text."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    col,
    find_files,
    integer,
    open_db,
    present_columns,
    require_tables,
    rows,
    salvaged,
    text,
)
from spyscan.artifacts.ios.whatsapp_messages import whatsapp_spec
from spyscan.evidence.base import Evidence
from spyscan.links.text import links_in
from spyscan.records.base import SourceRef
from spyscan.records.ios_messages import WhatsAppContact
from spyscan.texts import N_

TABLE = "ZWAADDRESSBOOKCONTACT"
COLUMNS = ("ZFULLNAME", "ZPHONENUMBER", "ZWHATSAPPID", "ZABOUTTEXT")


class WhatsAppContacts(Artifact):
    id = "ios.whatsapp_contacts"
    kinds = ("ios-backup", "ios-fs")
    title = N_("WhatsApp contacts")
    records = (WhatsAppContact,)
    absent_means = "not_applicable"  # the app is not installed

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[WhatsAppContact]:
        source, files = find_files(evidence, (whatsapp_spec("ContactsV2.sqlite"),), "WhatsApp ContactsV2.sqlite")
        for file in files:
            with open_db(source, file, log) as conn:
                require_tables(conn, file, TABLE)
                c = present_columns(conn, TABLE, COLUMNS, log, file.label)
                select = ", ".join(f"{col('c', x, c)} AS {x}" for x in COLUMNS)
                for row in rows(conn, f"SELECT c.rowid AS rid, {select} FROM {TABLE} AS c ORDER BY c.rowid"):
                    about = text(row["ZABOUTTEXT"])
                    yield WhatsAppContact(
                        recovered=salvaged(conn),
                        source=SourceRef(file=file.label, table=TABLE, rowid=integer(row["rid"])),
                        full_name=text(row["ZFULLNAME"]),
                        phone=text(row["ZPHONENUMBER"]),
                        jid=text(row["ZWHATSAPPID"]),
                        about_text=about,
                        links=links_in(about),
                    )
