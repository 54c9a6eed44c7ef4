"""Who installed an iOS app, from the store metadata iOS keeps for it (``iTunesMetadata``).

``sourceApp`` names the app that installed it, ``distributorInfo``/``DistributorID`` the distributor of
apps installed outside the App Store under Apple's EU rules (Digital Markets Act). Each known value is
listed with its class, a name for people and the public source it comes from. A value that is in no list
is an unknown installer: the only case worth an expert's review (docs/false-alarms.md).
"""

from __future__ import annotations

import msgspec

from spyscan.records.ios_apps import (
    SOURCE_APP_STORE,
    SOURCE_APPLE_SYNC,
    SOURCE_MARKETPLACE,
    SOURCE_MDM,
    SOURCE_TESTFLIGHT,
)


class Installer(msgspec.Struct, frozen=True):
    source: str  # one of the SOURCE_* classes of records/ios_apps.py
    name: str  # for people
    reference: str  # where the value is documented or was seen


MVT_ALLOWLIST = "mvt-project/mvt src/mvt/ios/modules/mixed/applications.py"
KNOWN: dict[str, Installer] = {
    "com.apple.AppStore": Installer(SOURCE_APP_STORE, "App Store", MVT_ALLOWLIST),
    "com.apple.AppStore.ProductPageExtension": Installer(
        SOURCE_APP_STORE, "App Store (product page shown inside another app)",
        "mvt-project/mvt#383 (gr.sparklean.klean), PR #380"),
    "com.apple.dmd": Installer(SOURCE_MDM, "device management (MDM)", MVT_ALLOWLIST),
    "dmd": Installer(SOURCE_MDM, "device management (MDM)", MVT_ALLOWLIST),
    "com.apple.TestFlight": Installer(
        SOURCE_TESTFLIGHT, "TestFlight",
        "Apple, Bundle IDs for native iPhone and iPad apps (support.apple.com/guide/deployment/depece748c41)"),
    "com.apple.datausage.atc": Installer(
        SOURCE_APPLE_SYNC, "Apple device sync (Finder or iTunes on a computer)",
        "mvt-project/mvt#495 (apps synced from a computer, sourceApp com.apple.datausage.atc)"),
    # EU alternative app marketplaces (Apple MarketplaceKit: AppDistributor.marketplace(<bundle id>))
    "com.rileytestut.AltStore": Installer(
        SOURCE_MARKETPLACE, "AltStore PAL",
        "altstoreio/AltStore branch marketplace, AltStore.xcodeproj PRODUCT_BUNDLE_IDENTIFIER; mvt-project/mvt#487"),
}


def installer_of(value: str | None) -> Installer | None:
    return KNOWN.get(value) if value else None
