"""WhatsApp contacts (``ContactsV2.sqlite``: ``ZWAADDRESSBOOKCONTACT``), with links in their "about" text.

``ZWHATSAPPID`` is a JID: ``<phone>@s.whatsapp.net``, or since 2025-26 ``<digits>@lid``, an account id that
is no phone number (mvt-project/mvt PR #882); it is kept as it is.
"""

from __future__ import annotations

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios._table import Row, TableArtifact
from spyscan.artifacts.ios.whatsapp_messages import whatsapp_spec
from spyscan.links.text import links_in
from spyscan.records.ios_messages import WhatsAppContact
from spyscan.texts import N_


class WhatsAppContacts(TableArtifact):
    id = "ios.whatsapp_contacts"
    kinds = ("ios-backup", "ios-fs")
    title = N_("WhatsApp contacts")
    records = (WhatsAppContact,)
    absent_means = "not_applicable"  # the app is not installed
    specs = (whatsapp_spec("ContactsV2.sqlite"),)
    what = "WhatsApp ContactsV2.sqlite"
    table = "ZWAADDRESSBOOKCONTACT"
    key = "rowid"
    columns = ("ZFULLNAME", "ZPHONENUMBER", "ZWHATSAPPID", "ZABOUTTEXT")

    def record(self, row: Row, log: ArtifactLog) -> WhatsAppContact:
        about = row.text("ZABOUTTEXT")
        return WhatsAppContact(
            recovered=row.recovered,
            source=row.source,
            full_name=row.text("ZFULLNAME"),
            phone=row.text("ZPHONENUMBER"),
            jid=row.text("ZWHATSAPPID"),
            about_text=about,
            links=links_in(about),
        )
