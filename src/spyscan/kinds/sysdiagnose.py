"""iOS sysdiagnose archives (``--kind sysdiagnose``): ``sysdiagnose_*.tar.gz`` streamed once, or its folder.

The archive is listed in one streaming pass (``evidence.fs_listing``); during that pass every regular
file outside the unified-log store is copied to the private work folder (the binary ``.tracev3``
content of ``system_logs.logarchive`` is listed but skipped; its ``Extra/`` folder, which holds
``shutdown.log``, is kept). Everything artifacts read is then local.

Mapping of artifacts' filesystem globs onto the archive (``ios_find``): a sysdiagnose does not keep the
device's folder layout, so a glob such as ``private/var/db/diagnostics/shutdown.log`` is looked up by its
last component anywhere in the archive (``**/shutdown.log``). When that last component is too generic
to stand alone (it starts with a wildcard, e.g. ``*.ips``), its last two components are used instead
(``**/CrashReporter/*.ips``). Files inside the logarchive (other than ``Extra/``) are never returned, and
neither are AppleDouble sidecars (``._<name>``, which device-generated tarballs carry by the hundreds from
iOS 15 on): names are compared whole, so ``._SystemVersion.plist`` is never taken for ``SystemVersion.plist``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from spyscan.evidence.android_time import DeviceClock
from spyscan.evidence.fs_listing import FsEntry, has_wildcard, literal_prefix
from spyscan.kinds.ios_fs import ListedIOSEvidence, is_appledouble, peek_tar_names
from spyscan.records.device import DeviceFacts
from spyscan.texts import N_
from spyscan.timeutil import iso

_MARKERS = frozenset({"ps.txt", "system_logs.logarchive", "sysdiagnose.log", "logs", "crashes_and_spins",
                      "summaries", "WiFi", "brctl", "taskinfo.txt", "mobile_installation.log"})
_OWN_MARKERS = frozenset({"system_logs.logarchive", "sysdiagnose.log", "crashes_and_spins", "summaries", "brctl",
                          "taskinfo.txt"})  # names only a sysdiagnose has (ps.txt and logs/ are common)
_TAR_SUFFIXES = (".tar.gz", ".tgz", ".tar")
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
        return not in_logarchive_store(name) and not is_appledouble(name)


# sysdiagnose_<YYYY.MM.DD_HH-MM-SS±HHMM>_<OS>_<product>_<build>: the time is the device's local time
_NAME_PARTS = re.compile(r"sysdiagnose_(\d{4})\.(\d{2})\.(\d{2})_(\d{2})-(\d{2})-(\d{2})([+-])(\d{2})(\d{2})"
                         r"_([^_]+)_([^_]+)_(\w+)")


class SysdiagnoseEvidence(ListedIOSEvidence):
    kind = "sysdiagnose"
    platform = "ios"
    key_files = N_("a sysdiagnose_*.tar.gz archive, or its unpacked folder with ps.txt and system_logs.logarchive")
    key_artifacts = ("ios.sysdiagnose.ps", "ios.shutdown_log")  # see docs/verdict.md
    label = N_("iOS sysdiagnose archive (sysdiagnose_*.tar.gz or its folder)")
    priority = 30
    extract_dir = "sysdiagnose"

    @classmethod
    def detect(cls, path: Path) -> bool:
        """By content, never by name alone: a folder with two of the files every sysdiagnose has, or an
        archive whose members all lie under one ``sysdiagnose_*`` folder holding such files."""
        if path.is_dir():
            present = {marker for marker in _MARKERS if (path / marker).exists()}
            return len(present) >= 2 and bool(present & _OWN_MARKERS)
        if not path.is_file() or not (_NAME.match(path.name) or path.name.lower().endswith(_TAR_SUFFIXES)):
            return False
        names = [n for n in peek_tar_names(path, 50) if n]
        if not names or not all(n.split("/", 1)[0].startswith("sysdiagnose_") for n in names):
            return False
        return any(n.split("/")[1] in _MARKERS for n in names if n.count("/") >= 1 and n.split("/")[1])

    def _wanted_matcher(self) -> Callable[[str], bool]:
        return _WantedSysdiagnose()

    def map_glob(self, pattern: str) -> list[str]:
        return [sysdiagnose_glob(pattern)]

    def entries(self, pattern: str) -> Iterator[FsEntry]:
        for entry in super().entries(pattern):
            if not in_logarchive_store(entry.path):
                yield entry

    def device_clock(self) -> DeviceClock:
        """The offset the archive's name gives (the device's at the time it was made): its logs that write local
        time without a zone (mobile_installation.log) are converted with it."""
        found = _NAME_PARTS.search(self.path.name)
        offset = f"{found.group(7)}{found.group(8)}:{found.group(9)}" if found else None
        return DeviceClock.from_offset(offset, "sysdiagnose name")

    def device_info(self) -> DeviceFacts:
        name = self.path.name
        facts = DeviceFacts(platform="ios", details={"archive": "folder" if self.path.is_dir() else "tar",
                                                     "name": name, "entries": str(self.listing.count())})
        if sidecars := self.appledouble_count():
            facts.details["appledouble_skipped"] = str(sidecars)
        found = _NAME_PARTS.search(name)
        if found:
            g = found.groups()
            facts.details["created"] = f"{g[0]}.{g[1]}.{g[2]}_{g[3]}-{g[4]}-{g[5]}{g[6]}{g[7]}{g[8]}"
            facts.details["product"] = g[10].replace("-", " ")
            facts.build = g[11]
            facts.utc_offset = f"{g[6]}{g[7]}:{g[8]}"
            try:
                offset = timedelta(hours=int(g[7]), minutes=int(g[8])) * (1 if g[6] == "+" else -1)
                local = datetime(int(g[0]), int(g[1]), int(g[2]), int(g[3]), int(g[4]), int(g[5]),
                                 tzinfo=timezone(offset))
                facts.acquired = iso(local.astimezone(UTC))
            except (ValueError, OverflowError):
                pass  # a name that is not a date: the raw text stays in details
        return facts
