"""WebKit resource-load statistics (``observations.db``: domains seen by Safari and in-app browsers).

Table ``ObservedDomains``: ``registrableDomain`` with ``lastSeen`` and ``mostRecentUserInteractionTime``
(Unix seconds) and ``hadUserInteraction``.
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    col,
    find_files,
    integer,
    open_db,
    present_columns,
    raw_value,
    require_tables,
    rows,
    salvaged,
    text,
    unix,
)
from spyscan.artifacts.ios._webkit import container_of, rls_specs
from spyscan.evidence.base import Evidence
from spyscan.records.base import SourceRef
from spyscan.records.ios_browsers import WebKitObservedDomain
from spyscan.texts import N_

COLUMNS = ("domainID", "registrableDomain", "lastSeen", "hadUserInteraction", "mostRecentUserInteractionTime")


class WebKitResourceLoadStatistics(Artifact):
    id = "ios.webkit_resource_load_statistics"
    kinds = ("ios-backup", "ios-fs")
    title = N_("WebKit resource-load statistics (observations.db)")
    records = (WebKitObservedDomain,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[WebKitObservedDomain]:
        source, files = find_files(evidence, rls_specs("observations.db"), "WebKit observations.db")
        for file in files:
            with open_db(source, file, log) as conn:
                require_tables(conn, file, "ObservedDomains")
                c = present_columns(conn, "ObservedDomains", COLUMNS, log, file.label)
                select = ", ".join(f"{col('o', name, c)} AS {name}" for name in COLUMNS)
                container = container_of(file)
                for row in rows(conn, f"SELECT o.rowid AS rid, {select} FROM ObservedDomains AS o ORDER BY o.rowid"):
                    interacted = integer(row["hadUserInteraction"])
                    when = row["mostRecentUserInteractionTime"]
                    yield WebKitObservedDomain(
                        recovered=salvaged(conn),
                        source=SourceRef(file=file.label, table="ObservedDomains", rowid=integer(row["rid"])),
                        domain=text(row["registrableDomain"]),
                        domain_id=integer(row["domainID"]),
                        had_user_interaction=None if interacted is None else bool(interacted),
                        most_recent_user_interaction=unix(when),
                        most_recent_user_interaction_raw=raw_value(when),
                        last_seen=unix(row["lastSeen"]),
                        last_seen_raw=raw_value(row["lastSeen"]),
                        container=container,
                    )
