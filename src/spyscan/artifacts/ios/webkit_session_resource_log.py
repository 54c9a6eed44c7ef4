"""WebKit session resource log (``full_browsing_session_resourceLog.plist``): origins and redirects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import find_files, number, read_plist
from spyscan.artifacts.ios._webkit import rls_specs
from spyscan.evidence.base import Evidence
from spyscan.records.base import SourceRef
from spyscan.records.ios_browsers import WebKitResourceLogEntry
from spyscan.timeutil import from_unix

ORIGIN_KEYS = ("PrevalentResourceDomain", "PrevalentResourceOrigin", "PrevalentResource")
GROUPS = {
    "redirects_to": ("topFrameUniqueRedirectsTo", "subresourceUniqueRedirectsTo"),
    "redirects_from": ("topFrameUniqueRedirectsFrom", "subresourceUniqueRedirectsFrom"),
    "subframe_origins": ("subframeUnderTopFrameDomains", "subframeUnderTopFrameOrigins"),
    "subresource_origins": ("subresourceUnderTopFrameDomains", "subresourceUnderTopFrameOrigins"),
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


class WebKitSessionResourceLog(Artifact):
    id = "ios.webkit_session_resource_log"
    kinds = ("ios-backup", "ios-fs")
    title = "WebKit session resource log"
    records = (WebKitResourceLogEntry,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[WebKitResourceLogEntry]:
        source, files = find_files(evidence, rls_specs("full_browsing_session_resourceLog.plist"),
                                   "WebKit full_browsing_session_resourceLog.plist")
        for file in files:
            data = read_plist(source, file, log)
            for position, entry in enumerate(_entries(data)):
                if not isinstance(entry, dict):
                    continue
                origin = next((entry[k] for k in ORIGIN_KEYS if isinstance(entry.get(k), str)), None)
                groups = {name: sorted({n for k in keys for n in _names(entry.get(k))})
                          for name, keys in GROUPS.items()}
                domains = sorted({*(d for g in groups.values() for d in g), *([origin] if origin else [])})
                when = entry.get("mostRecentUserInteraction")
                yield WebKitResourceLogEntry(
                    source=SourceRef(file=file.label, key=f"browsingStatistics[{position}]"),
                    origin=origin,
                    domains=domains,
                    most_recent_interaction=from_unix(when) if number(when) else None,
                    most_recent_interaction_raw=number(when),
                    redirects_to=groups["redirects_to"],
                    redirects_from=groups["redirects_from"],
                    subframe_origins=groups["subframe_origins"],
                    subresource_origins=groups["subresource_origins"],
                )
