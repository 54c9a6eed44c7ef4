"""Apps installed on the device and where each came from (backup ``Info.plist``; dumps: bundle metadata).

A backup's ``Info.plist`` lists the user-installed apps (``Installed Applications``) and, under
``Applications``, the ``iTunesMetadata`` of apps that have a store receipt: the metadata written when an app
is installed from the App Store, TestFlight, a device-management server or an alternative marketplace. The
backup tool decides what it records: pymobiledevice3 (and so ``spyscan collect ios``) writes an
``Applications`` entry only for apps that have both ``iTunesMetadata`` and ``ApplicationSINF``
(``pymobiledevice3/services/mobilebackup2.py``), and some backups hold no entry at all. An app listed
without metadata is therefore recorded as ``not_recorded``: how it was installed cannot be told from
this backup, which the artifact says in a warning ("what could not be checked"); it is never a finding.

Filesystem dumps keep the same metadata as ``iTunesMetadata.plist`` in each app bundle folder
(``private/var/containers/Bundle/Application/<UUID>/``), with the bundle id in ``softwareVersionBundleId``.
The recorded installer (``sourceApp``, or ``distributorInfo.DistributorID``) is classified by
``_app_installers.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._app_installers import installer_of
from spyscan.artifacts.ios._common import plist_problem
from spyscan.artifacts.ios._plist_values import find_one, integer, ios_source, load_dict, text, when
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.ios_backup.layout import BACKUP_ROOT_DOMAIN
from spyscan.evidence.plist import PlistError, load_plist
from spyscan.records.base import SourceRef
from spyscan.records.ios_apps import (
    SOURCE_APP_STORE,
    SOURCE_MARKETPLACE,
    SOURCE_NOT_RECORDED,
    SOURCE_OTHER,
    IOSInstalledApp,
)
from spyscan.texts import N_, tr
from spyscan.values import raw_value

INFO_PLIST = IOSPath(domain=BACKUP_ROOT_DOMAIN, relative="Info.plist")
MANIFEST_PLIST = IOSPath(domain=BACKUP_ROOT_DOMAIN, relative="Manifest.plist")
BUNDLE_METADATA = IOSPath(fs=("private/var/containers/Bundle/Application/*/iTunesMetadata.plist",))
SHOWN_UNRECORDED = 20  # bundle ids named in the "could not be checked" warning


def classify(metadata: dict[str, Any] | None) -> tuple[str, str | None, str | None]:
    """``(install source, recorded installer, installer name)`` from an app's iTunesMetadata."""
    if not metadata:
        return SOURCE_NOT_RECORDED, None, None
    source_app = text(metadata.get("sourceApp"))
    info = metadata.get("distributorInfo")
    distributor = text(info.get("DistributorID")) if isinstance(info, dict) else text(metadata.get("DistributorID"))
    for value in (source_app, distributor):
        known = installer_of(value)
        if known is not None:
            return known.source, value, known.name
    if distributor:  # a distributor Apple recorded that is in no list: an alternative marketplace or web distributor
        return SOURCE_MARKETPLACE, distributor, None
    if source_app:
        return SOURCE_OTHER, source_app, None
    if integer(metadata.get("itemId")) or text(metadata.get("itemId")):
        return SOURCE_APP_STORE, None, "App Store"  # older metadata without sourceApp, with a store item id
    return SOURCE_NOT_RECORDED, None, None


class IOSInstalledApps(Artifact):
    id = "ios.installed_apps"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Installed apps and their install source")
    records = (IOSInstalledApp,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[IOSInstalledApp]:
        source = ios_source(evidence)
        info_file = find_one(source, INFO_PLIST)
        if info_file is None:
            bundles = source.ios_find(BUNDLE_METADATA)
            if not bundles:
                raise ArtifactNotFound(tr('no backup Info.plist and no app bundle iTunesMetadata.plist'))
            for file in bundles:
                metadata = load_dict(source, file, log)
                bundle_id = text((metadata or {}).get("softwareVersionBundleId"))
                if metadata is None or bundle_id is None:
                    log.warn(tr('%(file)s: no softwareVersionBundleId; app skipped', file=file.label))
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
            log.warn(tr('Info.plist lists no applications (neither Applications nor Installed Applications)'))
        bundle_ids = {str(b) for b in apps} | {str(b) for b in manifest_apps}
        if isinstance(installed, list):
            bundle_ids |= {b for b in installed if isinstance(b, str)}
        unrecorded: list[str] = []
        listed_apps = sorted(b for b in bundle_ids if b.strip())
        for bundle_id in listed_apps:
            entry = apps.get(bundle_id)
            metadata = self._metadata(bundle_id, entry if isinstance(entry, dict) else {}, log)
            app_manifest = manifest_apps.get(bundle_id)
            record = self._record(info_file.label, bundle_id, metadata,
                                  app_manifest if isinstance(app_manifest, dict) else {})
            if record.install_source == SOURCE_NOT_RECORDED:
                unrecorded.append(record.bundle_id)
            yield record
        if unrecorded:
            log.warn(self._unrecorded_note(unrecorded, len(listed_apps)))

    @staticmethod
    def _unrecorded_note(unrecorded: list[str], total: int) -> str:
        shown: str = ", ".join(unrecorded[:SHOWN_UNRECORDED])
        if len(unrecorded) > SHOWN_UNRECORDED:
            shown = tr("%(names)s and %(more)s more", names=shown, more=len(unrecorded) - SHOWN_UNRECORDED)
        if len(unrecorded) == total:
            return tr("how apps were installed could not be checked: the backup holds no store metadata for any of "
                      "the installed apps (%(apps)s). Backup tools record it only for apps with a store receipt, and "
                      "some record none; apps installed by a developer or an enterprise certificate have none.",
                      apps=shown)
        return tr("how apps were installed could not be checked: the backup holds no store metadata for %(count)s of "
                  "the %(total)s installed apps (%(apps)s). Backup tools record it only for apps with a store receipt, "
                  "and some record none; apps installed by a developer or an enterprise certificate have none.",
                  count=len(unrecorded), total=total, apps=shown)

    @staticmethod
    def _metadata(bundle_id: str, entry: dict[str, Any], log: ArtifactLog) -> dict[str, Any] | None:
        raw = entry.get("iTunesMetadata")
        if raw is None:
            return None
        if isinstance(raw, dict):
            return raw
        if not isinstance(raw, bytes):
            log.warn(tr('%(bundle_id)s: iTunesMetadata is neither a plist nor a dictionary', bundle_id=bundle_id))
            return None
        try:
            parsed = load_plist(raw)
        except PlistError as exc:
            plist_problem(f"{bundle_id}: iTunesMetadata", exc, log)
            return None
        if not isinstance(parsed, dict):
            log.warn(tr('%(bundle_id)s: iTunesMetadata is not a dictionary', bundle_id=bundle_id))
            return None
        return parsed

    @staticmethod
    def _record(label: str, bundle_id: str, metadata: dict[str, Any] | None,
                app_manifest: dict[str, Any], key: str | None = "") -> IOSInstalledApp:
        meta = metadata or {}
        install_source, installer, installer_name = classify(metadata)
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
            installer_name=installer_name,
            purchase_date=when(purchase := meta.get("purchaseDate", download_purchase)),
            purchase_date_raw=raw_value(purchase),
            release_date=when(meta.get("releaseDate")),
            release_date_raw=raw_value(meta.get("releaseDate")),
        )
