"""iOS version and build of a sysdiagnose (``logs/SystemVersion/SystemVersion.plist``), judged like a backup's.

The plist is the device's ``/System/Library/CoreServices/SystemVersion.plist`` (``ProductVersion``,
``ProductBuildVersion``, ``ProductName``); the version is compared with the bundled table of iOS releases
(``data/ios_versions.json``) through the same verdict as ``ios.backup_info``, on the date the sysdiagnose
was made (its archive name), so the outdated-iOS rule applies to sysdiagnoses too. The device model comes
from the archive's name when it carries one (a product name, not an identifier: no model ceiling).
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._ios_versions import judge
from spyscan.artifacts.ios._plist_values import load_dict, text
from spyscan.artifacts.ios.fs_common import find_all, listed
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_device import IOSDeviceInfo
from spyscan.texts import N_, tr

SPECS = (IOSPath(fs=("logs/SystemVersion/SystemVersion.plist",)),)


class SysdiagnoseSystemVersion(Artifact):
    id = "ios.sysdiagnose.system_version"
    kinds = ("sysdiagnose",)
    title = N_("iOS version (sysdiagnose SystemVersion.plist)")
    records = (IOSDeviceInfo,)
    holds_traces = False  # device identity and version only

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[IOSDeviceInfo]:
        source = listed(evidence)
        facts = source.device_info()
        product = facts.details.get("product")
        for file in find_all(source, SPECS, "SystemVersion.plist")[:1]:
            data = load_dict(source, file, log) or {}
            version = text(data.get("ProductVersion"))
            if version is None:
                log.warn(tr('%(file)s does not state the iOS version', file=file.label))
            if version is not None:
                log.fact("os_version", version)
            if build := text(data.get("ProductBuildVersion")):
                log.fact("build", build)
            verdict = judge(version, facts.acquired)
            yield IOSDeviceInfo(
                source=SourceRef(file=file.label), ios_version=version, build=text(data.get("ProductBuildVersion")),
                model=product, latest_in_major=verdict.latest_in_major, latest_version=verdict.latest_version,
                outdated=verdict.outdated, major_supported=verdict.major_supported,
                versions_table_date=verdict.table_date, judged_on=verdict.judged_on,
                judged_from="sysdiagnose date" if verdict.judged_on else None,
            )
