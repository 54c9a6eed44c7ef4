"""Call history (``CallHistory.storedata``: ``ZCALLRECORD``): phone, FaceTime and app calls."""

from __future__ import annotations

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios._common import split_handle
from spyscan.artifacts.ios._table import Row, TableArtifact
from spyscan.evidence.ios import IOSPath
from spyscan.records.ios_people import CallRecord
from spyscan.texts import N_

REL = "Library/CallHistoryDB/CallHistory.storedata"
SPECS = (IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}",)),)


class Calls(TableArtifact):
    id = "ios.calls"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Call history")
    records = (CallRecord,)
    specs = SPECS
    what = "CallHistory.storedata"
    table = "ZCALLRECORD"
    columns = ("ZADDRESS", "ZDATE", "ZDURATION", "ZORIGINATED", "ZANSWERED", "ZCALLTYPE", "ZSERVICE_PROVIDER",
               "ZLOCATION", "ZNAME")

    def record(self, row: Row, log: ArtifactLog) -> CallRecord:
        address = row.text("ZADDRESS")
        service = row.text("ZSERVICE_PROVIDER")
        originated = row.flag("ZORIGINATED")
        return CallRecord(
            recovered=row.recovered,
            source=row.source,
            call_id=row.key,
            address=address,
            address_email=split_handle(address)[1],
            name=row.text("ZNAME"),
            service=service,
            service_app_id=service if service and "." in service else None,
            direction=None if originated is None else ("outgoing" if originated else "incoming"),
            answered=row.flag("ZANSWERED"),
            call_type=row.integer("ZCALLTYPE"),
            duration=row.number("ZDURATION"),
            location=row.text("ZLOCATION"),
            date=row.cocoa("ZDATE"),
            date_raw=row.raw("ZDATE"),
        )
