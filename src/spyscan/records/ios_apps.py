"""Apps installed on an iOS device, with where they came from (App Store receipt metadata)."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.values import Raw

# how the app was installed, from its iTunesMetadata
SOURCE_APP_STORE = "app_store"
SOURCE_TESTFLIGHT = "testflight"
SOURCE_MDM = "mdm"  # installed by device management (sourceApp com.apple.dmd)
SOURCE_MARKETPLACE = "alternative_marketplace"  # EU alternative app marketplaces / web distribution
SOURCE_OTHER = "other_source"  # a store record naming an unusual installer
SOURCE_NO_RECORD = "no_store_record"  # no iTunesMetadata: developer, enterprise/in-house or sideloaded


class IOSInstalledApp(Record, frozen=True, tag="ios.installed_app"):
    bundle_id: str
    name: str | None = None
    version: str | None = None
    developer: str | None = None
    store_item_id: int | None = None
    install_source: str = SOURCE_NO_RECORD
    source_app: str | None = None  # sourceApp / DistributorID as recorded
    sideloaded: bool = False  # installed without an App Store/TestFlight/marketplace record
    purchase_date: datetime | None = None
    purchase_date_raw: Raw = None  # the stored value
    release_date: datetime | None = None
    release_date_raw: Raw = None  # the stored value

    TIMESTAMPS = (("purchase_date", "app purchased/installed"),)
    OBSERVABLES = (("bundle_id", Obs.APP_ID),)

    def summary(self) -> str:
        return f"{self.bundle_id} {self.version or ''} ({self.install_source})".replace("  ", " ")
