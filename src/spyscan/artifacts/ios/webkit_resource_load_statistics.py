"""WebKit resource-load statistics (``observations.db``: domains seen by Safari and in-app browsers).

Table ``ObservedDomains``: ``registrableDomain`` with ``lastSeen`` and ``mostRecentUserInteractionTime``
(Unix seconds) and ``hadUserInteraction``.
"""

from __future__ import annotations

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios._table import Row, TableArtifact
from spyscan.artifacts.ios._webkit import container_of, rls_specs
from spyscan.records.ios_browsers import WebKitObservedDomain
from spyscan.texts import N_


class WebKitResourceLoadStatistics(TableArtifact):
    id = "ios.webkit_resource_load_statistics"
    kinds = ("ios-backup", "ios-fs")
    title = N_("WebKit resource-load statistics (observations.db)")
    records = (WebKitObservedDomain,)
    specs = rls_specs("observations.db")
    what = "WebKit observations.db"
    table = "ObservedDomains"
    key = "rowid"
    columns = ("domainID", "registrableDomain", "lastSeen", "hadUserInteraction", "mostRecentUserInteractionTime")

    def record(self, row: Row, log: ArtifactLog) -> WebKitObservedDomain:
        return WebKitObservedDomain(
            recovered=row.recovered,
            source=row.source,
            domain=row.text("registrableDomain"),
            domain_id=row.integer("domainID"),
            had_user_interaction=row.flag("hadUserInteraction"),
            most_recent_user_interaction=row.unix("mostRecentUserInteractionTime"),
            most_recent_user_interaction_raw=row.raw("mostRecentUserInteractionTime"),
            last_seen=row.unix("lastSeen"),
            last_seen_raw=row.raw("lastSeen"),
            container=container_of(row.file),
        )
