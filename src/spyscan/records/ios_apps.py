"""Apps installed on an iOS device, with where they came from (App Store receipt metadata)."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw

# how the app was installed, from its iTunesMetadata
SOURCE_APP_STORE = "app_store"
SOURCE_TESTFLIGHT = "testflight"
SOURCE_MDM = "mdm"  # installed by device management (sourceApp com.apple.dmd)
SOURCE_APPLE_SYNC = "apple_sync"  # synced from a computer by Finder/iTunes (sourceApp com.apple.datausage.atc)
SOURCE_MARKETPLACE = "alternative_marketplace"  # EU alternative app marketplaces / web distribution
SOURCE_OTHER = "other_source"  # a store record naming an installer spyscan does not know
SOURCE_NOT_RECORDED = "not_recorded"  # the acquisition holds no store metadata for the app: cannot tell
SOURCE_NO_RECORD = "no_store_record"  # in records stored by earlier versions: same meaning as SOURCE_NOT_RECORDED


class IOSInstalledApp(Record, frozen=True, tag="ios.installed_app"):
    bundle_id: str
    name: str | None = None
    version: str | None = None
    developer: str | None = None
    store_item_id: int | None = None
    install_source: str = SOURCE_NOT_RECORDED
    source_app: str | None = None  # sourceApp / DistributorID as recorded
    installer_name: str | None = None  # the installer for people ("App Store", "AltStore PAL"), when known
    sideloaded: bool = False  # kept for stored records; never set now (a missing record is not a finding)
    purchase_date: datetime | None = None
    purchase_date_raw: Raw = None  # the stored value
    release_date: datetime | None = None
    release_date_raw: Raw = None  # the stored value

    TIMESTAMPS = (("purchase_date", N_("app purchased/installed")),)
    OBSERVABLES = (("bundle_id", Obs.APP_ID),)

    def summary(self) -> str:
        return f"{self.bundle_id} {self.version or ''} ({self.install_source})".replace("  ", " ")
