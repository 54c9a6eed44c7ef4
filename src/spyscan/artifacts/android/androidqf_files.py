"""androidqf ``files.json``: files listed on the device with hashes and times (JSON array or NDJSON).

Entries follow androidqf's ``FileInfo`` (``adb/collector.go``): ``path, size, mode, user_id, user_name,
group_id, group_name, changed_time, modified_time, access_time, error, context, sha1, sha256, sha512,
md5``. Times are Unix epoch seconds (UTC, no device zone involved); 0 means not collected (the
``find -printf`` fallback gives only the modification time, owner and group names).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from spyscan.artifacts.android.androidqf_common import as_int, clean_str, json_items
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.faults import registered
from spyscan.records.android_files import AndroidFile
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr
from spyscan.timeutil import from_iso, from_unix
from spyscan.values import raw_value

FILE = "files.json"


@registered
def _time(value: Any) -> datetime | None:
    """Unix seconds (or ISO text): a file's time as the device's file system keeps it (0: not collected).

    No floor: copying and unpacking keep any time a file was given."""
    if isinstance(value, str) and not value.strip().lstrip("-").replace(".", "").isdigit():
        return from_iso(value)
    return from_unix(value)


def _hash(value: Any) -> str | None:
    text = clean_str(value)
    return text.lower() if text else None


class AndroidQFFiles(Artifact):
    id = "android.androidqf.files"
    kinds = ("androidqf",)
    title = N_("Files on the device (files.json)")
    records = (AndroidFile,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidFile]:
        for position, entry in json_items(evidence, FILE, log):
            if not isinstance(entry, dict) or not clean_str(entry.get("path")):
                log.warn(tr('%(file)s entry %(position)s has no path', file=FILE, position=position))
                continue
            yield AndroidFile(
                source=SourceRef(file=FILE, key=f"[{position}]"),
                path=str(entry["path"]),
                size=as_int(entry.get("size")),
                mode=clean_str(entry.get("mode")),
                uid=as_int(entry.get("user_id", entry.get("uid"))),
                gid=as_int(entry.get("group_id", entry.get("gid"))),
                user=clean_str(entry.get("user_name")),
                group=clean_str(entry.get("group_name")),
                sha512=_hash(entry.get("sha512")),
                error=clean_str(entry.get("error")),
                context=clean_str(entry.get("context")),
                sha256=_hash(entry.get("sha256")),
                sha1=_hash(entry.get("sha1")),
                md5=_hash(entry.get("md5")),
                modified=_time(entry.get("modified_time")),
                modified_raw=raw_value(entry.get("modified_time")),
                changed=_time(entry.get("changed_time")),
                changed_raw=raw_value(entry.get("changed_time")),
                accessed=_time(entry.get("access_time")),
                accessed_raw=raw_value(entry.get("access_time")),
            )
