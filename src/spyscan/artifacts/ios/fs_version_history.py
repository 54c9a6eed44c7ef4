"""iOS version history from the analytics journals (``/private/var/db/analyticsd/Analytics-Journal-*.ips``).

Each journal line is a JSON object; lines carrying ``os_version`` (``iPhone OS 17.1 (21B80)``) with a
``timestamp`` tell which version ran when. One record per version change, in time order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios.fs_common import find_all, listed, text_lines
from spyscan.artifacts.ios.sysdiagnose_crashes import ips_time
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_fs import OSVersionSeen
from spyscan.texts import N_, tr
from spyscan.values import raw_value

SPECS = (IOSPath(fs=("private/var/db/analyticsd/Analytics-Journal-*.ips",
                     "private/var/db/analyticsd/Analytics-*.ips")),)
_VERSION = re.compile(r"(?:iPhone OS|iOS|iPadOS)?\s*(\d+(?:\.\d+)+)\s*(?:\((\w+)\))?")


class OSVersionHistory(Artifact):
    id = "ios.fs.version_history"
    kinds = ("ios-fs",)
    title = N_("iOS version history (analytics journals)")
    records = (OSVersionSeen,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[OSVersionSeen]:
        source = listed(evidence)
        seen: list[tuple[datetime | None, str, str | None, str, int, object]] = []
        for file in find_all(source, SPECS, "analytics journals"):
            found_before, unreadable = len(seen), 0
            for number, line in text_lines(source, file, log):
                if "os_version" not in line:
                    continue
                try:
                    item = json.loads(line)
                except (ValueError, RecursionError):  # not JSON, a number past int()'s digits, or too deep
                    unreadable += 1
                    continue
                if not isinstance(item, dict) or not isinstance(item.get("os_version"), str):
                    continue
                found = _VERSION.search(item["os_version"])
                if found is None:
                    continue
                stamp = item.get("timestamp")
                seen.append((ips_time(stamp) if isinstance(stamp, str) else None, found.group(1), found.group(2),
                             file.label, number, stamp))
            if unreadable:
                log.warn(tr('%(file)s: %(unreadable)s line(s) mentioning os_version are not valid JSON (cut?)',
                            file=file.label, unreadable=unreadable))
            if len(seen) == found_before:
                log.warn(tr('%(file)s: no os_version entry found (damaged, or not an analytics journal?)',
                            file=file.label))
        seen.sort(key=lambda s: (s[0] is None, s[0].isoformat() if s[0] else "", s[3], s[4]))
        previous: tuple[str, str | None] | None = None
        for when, version, build, label, number, stamp in seen:
            if (version, build) == previous:
                continue
            previous = (version, build)
            yield OSVersionSeen(source=SourceRef(file=label, line=number), version=version, build=build, time=when,
                                time_raw=raw_value(stamp), journal=label)
