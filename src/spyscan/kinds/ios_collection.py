"""The folder ``spyscan collect ios`` writes: each part is checked as its own kind.

``acquisition.json`` (``"tool": "spyscan"``, ``"platform": "ios"``) is read by this kind's artifact;
``backup/<UDID>/`` is an ios-backup, ``crash_reports/`` an ios-crash-reports folder, and every
``sysdiagnose_*.tar.gz`` a sysdiagnose (``children``).
"""

from __future__ import annotations

from pathlib import Path

from spyscan.evidence.base import Evidence
from spyscan.evidence.jsonio import JsonError, decode_json
from spyscan.records.device import DeviceFacts
from spyscan.texts import N_

MANIFEST = "acquisition.json"


def _manifest(path: Path) -> dict[str, object] | None:
    try:
        if (path / MANIFEST).stat().st_size > 4 << 20:
            return None
        data = decode_json((path / MANIFEST).read_bytes())
    except (OSError, JsonError):  # JsonError: not JSON, or nested too deep to read
        return None
    return data if isinstance(data, dict) else None


class IOSCollectionEvidence(Evidence):
    kind = "ios-collection"
    platform = "ios"
    key_files = N_("a folder made by `spyscan collect ios` (acquisition.json with tool spyscan, platform ios)")
    label = N_("iPhone acquisition made by spyscan collect ios (backup, crash reports, sysdiagnose)")
    priority = 20

    @classmethod
    def detect(cls, path: Path) -> bool:
        if not path.is_dir():
            return False
        info = _manifest(path)
        return info is not None and info.get("tool") == "spyscan" and info.get("platform") == "ios"

    def children(self) -> list[tuple[str, Path]]:
        found: list[tuple[str, Path]] = []
        backups = self.path / "backup"
        if backups.is_dir():
            found += [("ios-backup", p) for p in sorted(backups.iterdir())
                      if p.is_dir() and not p.is_symlink() and (p / "Manifest.plist").is_file()]
        crashes = self.path / "crash_reports"
        if crashes.is_dir() and not crashes.is_symlink():
            found.append(("ios-crash-reports", crashes))
        found += [("sysdiagnose", p) for p in sorted(self.path.glob("sysdiagnose_*.tar.gz")) if p.is_file()]
        return found

    def device_info(self) -> DeviceFacts:
        info = _manifest(self.path) or {}
        device = info.get("device")
        if not isinstance(device, dict):
            return DeviceFacts(platform="ios")
        flat = {str(k): str(v) for k, v in device.items()}
        facts = DeviceFacts(platform="ios", model=flat.get("product_type"), os_version=flat.get("ios_version"),
                            build=flat.get("build"), name=flat.get("device_name"),
                            acquired=str(info["started"]) if isinstance(info.get("started"), str) else None)
        facts.details.update({k: v for k, v in flat.items()
                              if k not in ("product_type", "ios_version", "build", "device_name")})
        return facts
