"""Call history (``CallHistory.storedata``: ``ZCALLRECORD``): phone, FaceTime and app calls."""

from __future__ import annotations

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
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_people import CallRecord
from spyscan.texts import N_
from spyscan.values import to_float

REL = "Library/CallHistoryDB/CallHistory.storedata"
SPECS = (IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}",)),)
COLUMNS = ("ZADDRESS", "ZDATE", "ZDURATION", "ZORIGINATED", "ZANSWERED", "ZCALLTYPE", "ZSERVICE_PROVIDER",
           "ZLOCATION", "ZNAME")


class Calls(Artifact):
    id = "ios.calls"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Call history")
    records = (CallRecord,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[CallRecord]:
        for file, conn in databases(evidence, SPECS, "CallHistory.storedata", log, "ZCALLRECORD"):
            c = present_columns(conn, "ZCALLRECORD", COLUMNS, log, file.label)
            select = ", ".join(f"{col('c', x, c)} AS {x}" for x in COLUMNS)
            for row in rows(conn, f"SELECT c.Z_PK AS pk, {select} FROM ZCALLRECORD AS c ORDER BY c.Z_PK"):
                address = text(row["ZADDRESS"])
                service = text(row["ZSERVICE_PROVIDER"])
                originated = integer(row["ZORIGINATED"])
                answered = integer(row["ZANSWERED"])
                duration = to_float(row["ZDURATION"])
                yield CallRecord(
                    recovered=salvaged(conn),
                    source=SourceRef(file=file.label, table="ZCALLRECORD", rowid=integer(row["pk"])),
                    call_id=integer(row["pk"]),
                    address=address,
                    address_email=split_handle(address)[1],
                    name=text(row["ZNAME"]),
                    service=service,
                    service_app_id=service if service and "." in service else None,
                    direction=None if originated is None else ("outgoing" if originated else "incoming"),
                    answered=None if answered is None else bool(answered),
                    call_type=integer(row["ZCALLTYPE"]),
                    duration=duration,
                    location=text(row["ZLOCATION"]),
                    date=cocoa(row["ZDATE"]),
                    date_raw=raw_value(row["ZDATE"]),
                )
