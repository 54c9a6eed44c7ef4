"""Device identity and iOS version of the acquisition, judged against the bundled tables of iOS releases and
iPhone models on the date the acquisition was made (``_ios_versions.py``).

Backups: ``Info.plist`` and the ``Lockdown`` dictionary of ``Manifest.plist``; the date is the backup's
(``Last Backup Date``). Filesystem dumps: ``System/Library/CoreServices/SystemVersion.plist``; the date is the
acquisition's when the input records it, otherwise the newest file time of the dump (the acquisition was made
no earlier: releases out by then were out at the acquisition). The marketing name comes from the model
identifier (``data/ios_models.json``) when ``Info.plist`` has none.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._ios_versions import judge
from spyscan.artifacts.ios._plist_values import boolean, find_one, ios_source, load_dict, text, when
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.ios_backup.layout import BACKUP_ROOT_DOMAIN
from spyscan.kinds.ios_fs import ListedIOSEvidence
from spyscan.records.base import SourceRef
from spyscan.records.ios_device import IOSDeviceInfo
from spyscan.texts import N_, tr
from spyscan.timeutil import from_unix, iso
from spyscan.values import raw_value

INFO_PLIST = IOSPath(domain=BACKUP_ROOT_DOMAIN, relative="Info.plist")
MANIFEST_PLIST = IOSPath(domain=BACKUP_ROOT_DOMAIN, relative="Manifest.plist")
SYSTEM_VERSION = IOSPath(fs=("System/Library/CoreServices/SystemVersion.plist",))


class IOSBackupInfo(Artifact):
    id = "ios.backup_info"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Device and iOS version")
    records = (IOSDeviceInfo,)
    holds_traces = False  # device identity and version only

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[IOSDeviceInfo]:
        source = ios_source(evidence)
        info_file, manifest_file = find_one(source, INFO_PLIST), find_one(source, MANIFEST_PLIST)
        if info_file is None and manifest_file is None:
            version_file = find_one(source, SYSTEM_VERSION)
            if version_file is None:
                raise ArtifactNotFound(tr('no Info.plist, Manifest.plist or SystemVersion.plist'))
            system = load_dict(source, version_file, log) or {}
            facts = evidence.device_info()
            acquired, judged_from = facts.acquired, "acquisition date"
            if acquired is None and isinstance(evidence, ListedIOSEvidence):
                newest = evidence.listing.newest_mtime(time.time())
                acquired, judged_from = (iso(from_unix(newest)) if newest else None), "newest file time in the dump"
            yield self._record(SourceRef(file=version_file.label), version=text(system.get("ProductVersion")),
                               build=text(system.get("ProductBuildVersion")), log=log, acquired=acquired,
                               judged_from=judged_from, product_type=facts.model)
            return
        info = (load_dict(source, info_file, log) if info_file else None) or {}
        manifest = (load_dict(source, manifest_file, log) if manifest_file else None) or {}
        raw_lockdown = manifest.get("Lockdown")
        lockdown: dict[str, Any] = raw_lockdown if isinstance(raw_lockdown, dict) else {}
        if not lockdown and manifest_file is not None:
            log.warn(tr('Manifest.plist has no Lockdown dictionary'))
        if info_file is None:
            log.warn(tr('the backup has no Info.plist; device details come from Manifest.plist only'))

        def pick(info_key: str, lockdown_key: str) -> str | None:
            return text(info.get(info_key)) or text(lockdown.get(lockdown_key))

        label = info_file.label if info_file is not None else manifest_file.label if manifest_file else ""
        yield self._record(
            SourceRef(file=label), version=pick("Product Version", "ProductVersion"),
            build=pick("Build Version", "BuildVersion"), log=log,
            device_name=pick("Device Name", "DeviceName"), model=text(info.get("Product Name")),
            product_type=pick("Product Type", "ProductType"), serial=pick("Serial Number", "SerialNumber"),
            udid=text(info.get("Unique Identifier")) or pick("Target Identifier", "UniqueDeviceID"),
            imei=text(info.get("IMEI")),
            backup_date=when(backup_date := info.get("Last Backup Date", manifest.get("Date"))),
            backup_date_raw=raw_value(backup_date),
            encrypted=boolean(manifest.get("IsEncrypted")), passcode_set=boolean(manifest.get("WasPasscodeSet")),
        )

    @staticmethod
    def _record(source: SourceRef, *, version: str | None, build: str | None, log: ArtifactLog,
                acquired: Any = None, judged_from: str = "backup date", **fields: Any) -> IOSDeviceInfo:
        if version is None:
            log.warn(tr('the iOS version is not recorded'))
        product_type = fields.get("product_type")
        verdict = judge(version, acquired if acquired is not None else fields.get("backup_date"), product_type)
        if verdict.marketing_name:
            log.fact("marketing_name", verdict.marketing_name)
            fields["model"] = fields.get("model") or verdict.marketing_name
        return IOSDeviceInfo(
            source=source, ios_version=version, build=build, latest_in_major=verdict.latest_in_major,
            latest_version=verdict.latest_version, outdated=verdict.outdated,
            major_supported=verdict.major_supported, versions_table_date=verdict.table_date,
            judged_on=verdict.judged_on, judged_from=judged_from if verdict.judged_on else None,
            model_last_major=verdict.model_last_major, newer_major=verdict.newer_major,
            **fields,
        )
