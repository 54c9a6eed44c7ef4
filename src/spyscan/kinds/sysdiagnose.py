"""iOS sysdiagnose archives (``--kind sysdiagnose``): ``sysdiagnose_*.tar.gz`` streamed once, or its folder.

The archive is listed in one streaming pass (``evidence.fs_listing``); during that pass every regular
file outside the unified-log store is copied to the private work folder (the binary ``.tracev3``
content of ``system_logs.logarchive`` is listed but skipped; its ``Extra/`` folder, which holds
``shutdown.log``, is kept). Everything artifacts read is then local.

Mapping of artifacts' filesystem globs onto the archive (``ios_find``): a sysdiagnose does not keep the
device's folder layout, so a glob such as ``private/var/db/diagnostics/shutdown.log`` is looked up by its
last component anywhere in the archive (``**/shutdown.log``). When that last component is too generic
to stand alone (it starts with a wildcard, e.g. ``*.ips``), its last two components are used instead
(``**/CrashReporter/*.ips``). Files inside the logarchive (other than ``Extra/``) are never returned.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from spyscan.evidence.fs_listing import FsEntry, has_wildcard, literal_prefix
from spyscan.kinds.ios_fs import ListedIOSEvidence, peek_tar_names

_NAME = re.compile(r"^sysdiagnose_.*\.(?:tar\.gz|tgz|tar|tar\.xz|tar\.bz2)$", re.IGNORECASE)
_LOGARCHIVE = re.compile(r"(?:^|/)[^/]*\.logarchive/(?!Extra/)")
_MIN_LITERAL = 4


def in_logarchive_store(path: str) -> bool:
    """True for unified-log store content (tracev3, uuidtext...), which artifacts never read."""
    return _LOGARCHIVE.search(path) is not None


def sysdiagnose_glob(pattern: str) -> str:
    """The archive-wide glob used for a device-root glob (see the module documentation)."""
    segments = [s for s in pattern.strip("/").split("/") if s]
    if not segments:
        return "**"
    last = segments[-1]
    if not has_wildcard(last) or len(literal_prefix(last)) >= _MIN_LITERAL or len(segments) == 1:
        return "**/" + last
    return "**/" + "/".join(segments[-2:])


class _WantedSysdiagnose:
    def __call__(self, name: str) -> bool:
        return not in_logarchive_store(name)


class SysdiagnoseEvidence(ListedIOSEvidence):
    kind = "sysdiagnose"
    label = "iOS sysdiagnose archive (sysdiagnose_*.tar.gz or its folder)"
    priority = 30
    extract_dir = "sysdiagnose"

    @classmethod
    def detect(cls, path: Path) -> bool:
        if path.is_dir():
            if path.name.lower().startswith("sysdiagnose_"):
                return True
            return (path / "ps.txt").is_file() and (
                (path / "system_logs.logarchive").is_dir() or (path / "sysdiagnose.log").is_file())
        if not path.is_file():
            return False
        if _NAME.match(path.name):
            return True
        names = peek_tar_names(path, 20) if path.name.lower().endswith((".tar.gz", ".tgz", ".tar")) else []
        return bool(names) and all(n.split("/", 1)[0].startswith("sysdiagnose_") for n in names if n)

    def _wanted_matcher(self) -> Callable[[str], bool]:
        return _WantedSysdiagnose()

    def map_glob(self, pattern: str) -> list[str]:
        return [sysdiagnose_glob(pattern)]

    def entries(self, pattern: str) -> Iterator[FsEntry]:
        for entry in super().entries(pattern):
            if not in_logarchive_store(entry.path):
                yield entry

    def device_info(self) -> dict[str, str]:
        name = self.path.name
        info = {"archive": "folder" if self.path.is_dir() else "tar", "name": name}
        found = re.search(r"sysdiagnose_(\d{4}\.\d{2}\.\d{2}_\d{2}-\d{2}-\d{2}[+-]\d{4})_([^_]+)_([^_]+)_(\w+)", name)
        if found:
            info.update(created=found.group(1), product=found.group(3).replace("-", " "), build=found.group(4))
        info["entries"] = str(self.listing.count())
        return info
