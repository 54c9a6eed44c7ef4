"""WhatsApp messages (``ChatStorage.sqlite``: ``ZWAMESSAGE`` + ``ZWAMEDIAITEM`` + ``ZWACHATSESSION``).

Link previews live in ``ZWAMESSAGEDATAITEM`` (``ZMESSAGE`` → message; ``ZCONTENT1``/``ZCONTENT2``/
``ZMATCHEDTEXT`` hold the previewed URL, ``ZTITLE``/``ZSUMMARY`` its title): their URLs are added to the
message's links. WhatsApp's own media host URLs stay in ``media_url`` only.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
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
from spyscan.artifacts.ios.sms import direction
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.sqlite import has_table
from spyscan.links.text import links_in
from spyscan.records.base import SourceRef
from spyscan.records.ios_messages import WhatsAppMessage
from spyscan.texts import N_

GROUP = "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"
SHARED = "private/var/mobile/Containers/Shared/AppGroup/*"


def whatsapp_spec(name: str) -> IOSPath:
    return IOSPath(domain=GROUP, relative=name, fs=(f"{SHARED}/{name}",))


MESSAGE_COLUMNS = ("ZTEXT", "ZMESSAGEDATE", "ZSENTDATE", "ZISFROMME", "ZFROMJID", "ZTOJID", "ZCHATSESSION",
                   "ZMESSAGETYPE")
MEDIA_COLUMNS = ("ZMESSAGE", "ZMEDIAURL", "ZMEDIALOCALPATH", "ZTITLE")
CHAT_COLUMNS = ("ZCONTACTJID", "ZPARTNERNAME")
PREVIEW_COLUMNS = ("ZCONTENT1", "ZCONTENT2", "ZMATCHEDTEXT", "ZTITLE", "ZSUMMARY")
MEDIA_HOSTS = ("https://mmg.whatsapp.net/", "https://mmg-fna.whatsapp.net/")


def link_previews(conn: sqlite3.Connection, log: ArtifactLog, label: str) -> dict[int, list[str]]:
    """Texts of the link-preview rows (``ZWAMESSAGEDATAITEM``) of each message primary key."""
    found: dict[int, list[str]] = defaultdict(list)
    if not has_table(conn, "ZWAMESSAGEDATAITEM"):
        return found
    have = present_columns(conn, "ZWAMESSAGEDATAITEM", ("ZMESSAGE", *PREVIEW_COLUMNS), log, label)
    if "ZMESSAGE" not in have:
        return found
    select = ", ".join(f"{col('p', c, have)} AS {c}" for c in PREVIEW_COLUMNS)
    for row in rows(conn, f"SELECT p.ZMESSAGE AS message, {select} FROM ZWAMESSAGEDATAITEM AS p ORDER BY p.Z_PK"):
        message = integer(row["message"])
        if message is not None:
            found[message].extend(t for c in PREVIEW_COLUMNS if (t := text(row[c])))
    return found


class WhatsAppMessages(Artifact):
    id = "ios.whatsapp_messages"
    kinds = ("ios-backup", "ios-fs")
    title = N_("WhatsApp messages")
    records = (WhatsAppMessage,)
    absent_means = "not_applicable"  # the app is not installed

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[WhatsAppMessage]:
        source, files = find_files(evidence, (whatsapp_spec("ChatStorage.sqlite"),), "WhatsApp ChatStorage.sqlite")
        for file in files:
            with open_db(source, file, log) as conn:
                require_tables(conn, file, "ZWAMESSAGE")
                m = present_columns(conn, "ZWAMESSAGE", MESSAGE_COLUMNS, log, file.label)
                media = has_table(conn, "ZWAMEDIAITEM")
                d = present_columns(conn, "ZWAMEDIAITEM", MEDIA_COLUMNS, log, file.label) if media else set()
                chats = "ZCHATSESSION" in m and has_table(conn, "ZWACHATSESSION")
                c = present_columns(conn, "ZWACHATSESSION", CHAT_COLUMNS, log, file.label) if chats else set()
                select = ", ".join(f"{col('m', x, m)} AS {x}" for x in MESSAGE_COLUMNS)
                media_join = "LEFT JOIN ZWAMEDIAITEM AS d ON d.ZMESSAGE = m.Z_PK" if "ZMESSAGE" in d else ""
                chat_join = "LEFT JOIN ZWACHATSESSION AS c ON c.Z_PK = m.ZCHATSESSION" if chats else ""
                dcols = d if media_join else set()
                previews = link_previews(conn, log, file.label)
                sql = f"""SELECT m.Z_PK AS pk, {select},
                          {col('d', 'ZMEDIAURL', dcols)} AS media_url,
                          {col('d', 'ZMEDIALOCALPATH', dcols)} AS media_path,
                          {col('d', 'ZTITLE', dcols)} AS media_title,
                          {col('c', 'ZCONTACTJID', c)} AS chat_jid, {col('c', 'ZPARTNERNAME', c)} AS chat_name
                          FROM ZWAMESSAGE AS m {media_join} {chat_join} ORDER BY m.Z_PK"""
                for row in rows(conn, sql):
                    body = text(row["ZTEXT"])
                    title = text(row["media_title"])
                    preview = previews.get(integer(row["pk"]) or -1, [])
                    links = [u for u in links_in(body, title, *preview) if not u.startswith(MEDIA_HOSTS)]
                    yield WhatsAppMessage(
                        recovered=salvaged(conn),
                        source=SourceRef(file=file.label, table="ZWAMESSAGE", rowid=integer(row["pk"])),
                        message_id=integer(row["pk"]),
                        text=body,
                        links=links,
                        link_preview=preview,
                        media_url=text(row["media_url"]),
                        media_local_path=text(row["media_path"]),
                        media_title=title,
                        direction=direction(row["ZISFROMME"]),
                        from_jid=text(row["ZFROMJID"]),
                        to_jid=text(row["ZTOJID"]),
                        chat_jid=text(row["chat_jid"]),
                        chat_name=text(row["chat_name"]),
                        message_type=integer(row["ZMESSAGETYPE"]),
                        date=cocoa(row["ZMESSAGEDATE"]),
                        date_raw=raw_value(row["ZMESSAGEDATE"]),
                        sent_date=cocoa(row["ZSENTDATE"]),
                        sent_date_raw=raw_value(row["ZSENTDATE"]),
                    )
