"""The iOS version a filesystem dump or a sysdiagnose states (``SystemVersion.plist``), for artifacts whose
reading depends on it (the shutdown log is rewritten at each boot from iOS 26)."""

from __future__ import annotations

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios._ios_versions import parse_version
from spyscan.artifacts.ios._plist_values import load_dict, text
from spyscan.evidence.ios import IOSPath
from spyscan.kinds.ios_fs import ListedIOSEvidence

# the device's own file, and its copy in a sysdiagnose (found by name there: ``**/SystemVersion.plist``)
SYSTEM_VERSION_SPECS = (IOSPath(fs=("System/Library/CoreServices/SystemVersion.plist",
                                    "logs/SystemVersion/SystemVersion.plist")),)


def stated_ios_version(source: ListedIOSEvidence, log: ArtifactLog) -> str | None:
    """``ProductVersion`` of the first SystemVersion.plist found, None when there is none or it says nothing."""
    for spec in SYSTEM_VERSION_SPECS:
        for file in source.ios_find(spec):
            version = text((load_dict(source, file, log) or {}).get("ProductVersion"))
            if version:
                return version
    return None


def major_of(version: str | None) -> int | None:
    parsed = parse_version(version)
    return parsed[0] if parsed else None
