"""What an iOS acquisition says about the device (backup Info.plist/Manifest.plist, SystemVersion.plist)."""

from __future__ import annotations

from datetime import datetime

from spyscan.records.base import Record
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
    # comparison with the bundled table of iOS releases
    latest_in_major: str | None = None  # newest release of this major version in the table
    latest_version: str | None = None  # newest release overall in the table
    outdated: bool | None = None  # older than the newest release of its major version
    major_supported: bool | None = None  # does this major version still receive updates (per the table)?
    versions_table_date: str | None = None

    TIMESTAMPS = (("backup_date", "backup made"),)

    def summary(self) -> str:
        state = ""
        if self.outdated:
            state = f", outdated (latest {self.latest_in_major})"
        return f"{self.product_type or 'device'} iOS {self.ios_version or '?'} ({self.build or '?'}){state}"
