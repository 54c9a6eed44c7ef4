"""Apps installed on the device and where each came from (backup ``Info.plist``; dumps: bundle metadata).

A backup's ``Info.plist`` lists the user-installed apps (``Installed Applications``) and, under
``Applications``, each app's ``iTunesMetadata``: the store receipt metadata written when an app is
installed from the App Store, TestFlight or an alternative marketplace. An app without it was installed
some other way (Xcode, an enterprise/in-house or developer certificate, a sideloading tool).
Filesystem dumps keep the same metadata as ``iTunesMetadata.plist`` in each app bundle folder
(``private/var/containers/Bundle/Application/<UUID>/``), with the bundle id in ``softwareVersionBundleId``.
"""

from __future__ import annotations

import plistlib
from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._plist_values import PLIST_ERRORS, find_one, integer, ios_source, load_dict, text, when
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.ios_backup.layout import BACKUP_ROOT_DOMAIN
from spyscan.records.base import SourceRef
from spyscan.records.ios_apps import (
    SOURCE_APP_STORE,
    SOURCE_MARKETPLACE,
    SOURCE_MDM,
    SOURCE_NO_RECORD,
    SOURCE_OTHER,
    SOURCE_TESTFLIGHT,
    IOSInstalledApp,
)
from spyscan.values import raw_value

INFO_PLIST = IOSPath(domain=BACKUP_ROOT_DOMAIN, relative="Info.plist")
MANIFEST_PLIST = IOSPath(domain=BACKUP_ROOT_DOMAIN, relative="Manifest.plist")
BUNDLE_METADATA = IOSPath(fs=("private/var/containers/Bundle/Application/*/iTunesMetadata.plist",))
APP_STORE = "com.apple.AppStore"
APP_STORE_INSTALLERS = (APP_STORE, "com.apple.AppStore.ProductPageExtension")
MDM_INSTALLERS = ("com.apple.dmd", "dmd")
TESTFLIGHT = "com.apple.TestFlight"


def classify(metadata: dict[str, Any] | None) -> tuple[str, str | None]:
    """``(install source, recorded installer)`` from an app's iTunesMetadata."""
    if not metadata:
        return SOURCE_NO_RECORD, None
    source_app = text(metadata.get("sourceApp"))
    info = metadata.get("distributorInfo")
    distributor = text(info.get("DistributorID")) if isinstance(info, dict) else text(metadata.get("DistributorID"))
    if source_app in APP_STORE_INSTALLERS or distributor == APP_STORE:
        return SOURCE_APP_STORE, source_app or distributor
    if source_app in MDM_INSTALLERS:
        return SOURCE_MDM, source_app
    if source_app == TESTFLIGHT:
        return SOURCE_TESTFLIGHT, source_app
    if distributor:
        return SOURCE_MARKETPLACE, distributor
    if source_app:
        return SOURCE_OTHER, source_app
    if integer(metadata.get("itemId")) or text(metadata.get("itemId")):
        return SOURCE_APP_STORE, None  # older metadata without sourceApp, with a store item id
    return SOURCE_NO_RECORD, None


class IOSInstalledApps(Artifact):
    id = "ios.installed_apps"
    kinds = ("ios-backup", "ios-fs")
    title = "Installed apps and their install source"
    records = (IOSInstalledApp,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[IOSInstalledApp]:
        source = ios_source(evidence)
        info_file = find_one(source, INFO_PLIST)
        if info_file is None:
            bundles = source.ios_find(BUNDLE_METADATA)
            if not bundles:
                raise ArtifactNotFound("no backup Info.plist and no app bundle iTunesMetadata.plist")
            for file in bundles:
                metadata = load_dict(source, file, log)
                bundle_id = text((metadata or {}).get("softwareVersionBundleId"))
                if metadata is None or bundle_id is None:
                    log.warn(f"{file.label}: no softwareVersionBundleId; app skipped")
                    continue
                yield self._record(file.label, bundle_id, metadata, {}, key=None)
            return
        info = load_dict(source, info_file, log)
        if info is None:
            return
        manifest_file = find_one(source, MANIFEST_PLIST)
        manifest = (load_dict(source, manifest_file, log) if manifest_file else None) or {}
        apps = info.get("Applications") if isinstance(info.get("Applications"), dict) else {}
        installed = info.get("Installed Applications")
        manifest_apps = manifest.get("Applications") if isinstance(manifest.get("Applications"), dict) else {}
        assert isinstance(apps, dict) and isinstance(manifest_apps, dict)
        if "Applications" not in info and installed is None:
            log.warn("Info.plist lists no applications (neither Applications nor Installed Applications)")
        bundle_ids = {str(b) for b in apps} | {str(b) for b in manifest_apps}
        if isinstance(installed, list):
            bundle_ids |= {b for b in installed if isinstance(b, str)}
        for bundle_id in sorted(b for b in bundle_ids if b.strip()):
            entry = apps.get(bundle_id)
            metadata = self._metadata(bundle_id, entry if isinstance(entry, dict) else {}, log)
            app_manifest = manifest_apps.get(bundle_id)
            yield self._record(info_file.label, bundle_id, metadata,
                               app_manifest if isinstance(app_manifest, dict) else {})

    @staticmethod
    def _metadata(bundle_id: str, entry: dict[str, Any], log: ArtifactLog) -> dict[str, Any] | None:
        raw = entry.get("iTunesMetadata")
        if raw is None:
            return None
        if isinstance(raw, dict):
            return raw
        if not isinstance(raw, bytes):
            log.warn(f"{bundle_id}: iTunesMetadata is neither a plist nor a dictionary")
            return None
        try:
            parsed = plistlib.loads(raw)
        except PLIST_ERRORS as exc:
            log.warn(f"{bundle_id}: iTunesMetadata is not a readable plist ({exc})")
            return None
        if not isinstance(parsed, dict):
            log.warn(f"{bundle_id}: iTunesMetadata is not a dictionary")
            return None
        return parsed

    @staticmethod
    def _record(label: str, bundle_id: str, metadata: dict[str, Any] | None,
                app_manifest: dict[str, Any], key: str | None = "") -> IOSInstalledApp:
        meta = metadata or {}
        install_source, installer = classify(metadata)
        download = meta.get("com.apple.iTunesStore.downloadInfo")
        download_purchase = download.get("purchaseDate") if isinstance(download, dict) else None
        return IOSInstalledApp(
            source=SourceRef(file=label, key=f"Applications/{bundle_id}" if key is not None else None),
            bundle_id=bundle_id.strip(),
            name=text(meta.get("itemName")) or text(meta.get("bundleDisplayName")),
            version=text(meta.get("bundleShortVersionString")) or text(meta.get("bundleVersion"))
            or text(app_manifest.get("CFBundleShortVersionString")) or text(app_manifest.get("CFBundleVersion")),
            developer=text(meta.get("artistName")),
            store_item_id=integer(meta.get("itemId")),
            install_source=install_source,
            source_app=installer,
            sideloaded=install_source == SOURCE_NO_RECORD,
            purchase_date=when(purchase := meta.get("purchaseDate", download_purchase)),
            purchase_date_raw=raw_value(purchase),
            release_date=when(meta.get("releaseDate")),
            release_date_raw=raw_value(meta.get("releaseDate")),
        )
