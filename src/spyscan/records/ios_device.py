"""What an iOS acquisition says about the device (backup Info.plist/Manifest.plist, SystemVersion.plist)."""

from __future__ import annotations

from datetime import datetime

from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class IOSDeviceInfo(Record, frozen=True, tag="ios.device_info"):
    device_name: str | None = None
    model: str | None = None  # marketing name ("iPhone 13 Pro") when known
    product_type: str | None = None  # hardware identifier ("iPhone14,2")
    ios_version: str | None = None
    build: str | None = None
    serial: str | None = None
    udid: str | None = None
    imei: str | None = None
    backup_date: datetime | None = None
    backup_date_raw: Raw = None  # the stored value
    encrypted: bool | None = None
    passcode_set: bool | None = None
    # comparison with the bundled tables of iOS releases and iPhone models, on the acquisition date
    latest_in_major: str | None = None  # newest release of this major version out on the acquisition date
    latest_version: str | None = None  # newest release of any major version out on the acquisition date
    outdated: bool | None = None  # older than latest_in_major (None: the tables cannot tell)
    major_supported: bool | None = None  # does this major version still receive updates (per the table)?
    versions_table_date: str | None = None
    judged_on: str | None = None  # the acquisition date the comparison is about (YYYY-MM-DD); None: not judged
    judged_from: str | None = None  # where that date comes from: "backup date", "acquisition date", "newest file"
    model_last_major: int | None = None  # newest iOS major the model can run (None: the newest, or unknown model)
    newer_major: int | None = None  # a newer iOS major this model could run, out on the acquisition date

    TIMESTAMPS = (("backup_date", N_("backup made")),)

    def summary(self) -> str:
        state = ""
        if self.outdated:
            state = f", outdated (latest {self.latest_in_major})"
        return f"{self.product_type or 'device'} iOS {self.ios_version or '?'} ({self.build or '?'}){state}"
