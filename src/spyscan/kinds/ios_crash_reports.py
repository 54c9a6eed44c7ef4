"""A folder of iPhone crash reports as copied from the phone (``spyscan collect ios``, ``idevicecrashreport``).

The phone's crash report service serves ``/private/var/mobile/Library/Logs/CrashReporter/``; a copy of it
keeps that folder's layout (``*.ips``, ``Retired/``, ``Panics/``...). Artifacts' device-root globs under
that folder are mapped onto the copy's root; other globs match nothing.
"""

from __future__ import annotations

from pathlib import Path

from spyscan.kinds.ios_fs import ListedIOSEvidence
from spyscan.texts import N_

DEVICE_FOLDER = "private/var/mobile/Library/Logs/CrashReporter/"
SUFFIXES = (".ips", ".ips.synced", ".panic")


class IOSCrashReportsEvidence(ListedIOSEvidence):
    kind = "ios-crash-reports"
    platform = "ios"
    key_files = N_("a folder of iPhone crash reports (.ips files)")
    label = N_("iPhone crash reports copied from the phone (a folder of .ips files)")
    priority = 70
    extract_dir = "crash-reports"

    @classmethod
    def detect(cls, path: Path) -> bool:
        if not path.is_dir() or (path / "Manifest.plist").exists() or path.name.lower().startswith("sysdiagnose_"):
            return False
        names = [p.name for p in path.iterdir() if p.is_file()][:500]
        return bool(names) and any(n.endswith(SUFFIXES) for n in names)

    def _locate_root(self) -> None:
        self.root = ""

    def map_glob(self, pattern: str) -> list[str]:
        pattern = pattern.lstrip("/")
        if pattern.startswith("var/"):
            pattern = "private/" + pattern
        if not pattern.startswith(DEVICE_FOLDER):
            return []
        return [pattern[len(DEVICE_FOLDER):]]

    def device_path(self, entry_path: str) -> str:
        return DEVICE_FOLDER + entry_path
