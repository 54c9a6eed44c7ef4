"""WebKit session resource log (``full_browsing_session_resourceLog.plist``): origins and redirects.

Layout: ``{"browsingStatistics": [entry, ...]}``; each entry names its origin
(``PrevalentResourceOrigin``), lists redirects and embedded origins as lists of one-key dictionaries
(``{"origin": ...}`` or ``{"domain": ...}``), and holds ``lastSeen``/``mostRecentUserInteraction``
as plist dates and ``hadUserInteraction`` as a boolean.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import find_files, raw_value, read_plist, unix
from spyscan.artifacts.ios._webkit import container_of, rls_specs
from spyscan.evidence.base import Evidence
from spyscan.faults import registered
from spyscan.records.base import SourceRef
from spyscan.records.ios_browsers import WebKitResourceLogEntry
from spyscan.texts import N_
from spyscan.timeutil import IOS_FLOOR, aware
from spyscan.values import Raw

ORIGIN_KEYS = ("PrevalentResourceOrigin", "PrevalentResourceDomain", "PrevalentResource")
GROUPS = {
    "redirects_to": ("topFrameUniqueRedirectsTo", "subresourceUniqueRedirectsTo"),
    "redirects_from": ("topFrameUniqueRedirectsFrom", "subresourceUniqueRedirectsFrom"),
    "subframe_origins": ("subframeUnderTopFrameOrigins", "subframeUnderTopFrameDomains"),
    "subresource_origins": ("subresourceUnderTopFrameOrigins", "subresourceUnderTopFrameDomains"),
}


def _names(value: Any) -> list[str]:
    """Domain names from a list of strings or of one-key dicts (``{"origin": "x.com"}``)."""
    found: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str) and item:
            found.append(item)
        elif isinstance(item, dict):
            found.extend(v for v in item.values() if isinstance(v, str) and v)
    return found


def _entries(data: Any) -> list[Any]:
    if isinstance(data, dict):
        stats = data.get("browsingStatistics")
        if isinstance(stats, list):
            return stats
        return [v for v in data.values() if isinstance(v, dict)]
    return data if isinstance(data, list) else []


@registered
def _when(value: Any) -> tuple[datetime | None, Raw]:
    """A plist date (as stored by WebKit; kept raw as Unix seconds) or, defensively, a Unix number."""
    if isinstance(value, datetime):
        stored = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        return aware(stored, value, IOS_FLOOR), stored.timestamp()
    return unix(value), raw_value(value)


class WebKitSessionResourceLog(Artifact):
    id = "ios.webkit_session_resource_log"
    kinds = ("ios-backup", "ios-fs")
    title = N_("WebKit session resource log")
    records = (WebKitResourceLogEntry,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[WebKitResourceLogEntry]:
        source, files = find_files(evidence, rls_specs("full_browsing_session_resourceLog.plist", web_clips=True),
                                   "WebKit full_browsing_session_resourceLog.plist")
        for file in files:
            data = read_plist(source, file, log)
            container = container_of(file)
            for position, entry in enumerate(_entries(data)):
                if not isinstance(entry, dict):
                    continue
                origin = next((entry[k] for k in ORIGIN_KEYS if isinstance(entry.get(k), str)), None)
                groups = {name: sorted({n for k in keys for n in _names(entry.get(k))})
                          for name, keys in GROUPS.items()}
                domains = sorted({*(d for g in groups.values() for d in g), *([origin] if origin else [])})
                interaction, interaction_raw = _when(entry.get("mostRecentUserInteraction"))
                seen, seen_raw = _when(entry.get("lastSeen"))
                interacted = entry.get("hadUserInteraction")
                yield WebKitResourceLogEntry(
                    source=SourceRef(file=file.label, key=f"browsingStatistics[{position}]"),
                    origin=origin,
                    domains=domains,
                    had_user_interaction=interacted if isinstance(interacted, bool) else None,
                    most_recent_interaction=interaction,
                    most_recent_interaction_raw=interaction_raw,
                    last_seen=seen,
                    last_seen_raw=seen_raw,
                    container=container,
                    redirects_to=groups["redirects_to"],
                    redirects_from=groups["redirects_from"],
                    subframe_origins=groups["subframe_origins"],
                    subresource_origins=groups["subresource_origins"],
                )
