"""Safari history (``History.db``): every visit with its redirect source/destination."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    cocoa,
    col,
    databases,
    integer,
    present_columns,
    raw_value,
    rows,
    salvaged,
    text,
)
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_browsers import SafariVisit
from spyscan.texts import N_

REL = "Library/Safari/History.db"
PROFILES = "Library/Safari/Profiles/*/History.db"  # Safari profiles (iOS 17+): one History.db per profile
SPECS = (
    IOSPath(domain="HomeDomain", relative=REL, fs=(
        f"private/var/mobile/{REL}",
        f"private/var/mobile/{PROFILES}",
        f"private/var/mobile/Containers/Data/Application/*/{REL}",
        f"private/var/mobile/Containers/Data/Application/*/{PROFILES}",
    )),
    IOSPath(domain="HomeDomain", relative=PROFILES),
    IOSPath(domain="AppDomain-*", relative=REL),
    IOSPath(domain="AppDomain-*", relative=PROFILES),
)
VISIT_COLUMNS = ("visit_time", "title", "load_successful", "redirect_source", "redirect_destination")
ITEM_COLUMNS = ("url", "visit_count")


class SafariHistory(Artifact):
    id = "ios.safari_history"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Safari history")
    records = (SafariVisit,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[SafariVisit]:
        for file, conn in databases(evidence, SPECS, "Safari History.db", log, "history_items", "history_visits"):
            v = present_columns(conn, "history_visits", VISIT_COLUMNS, log, file.label)
            i = present_columns(conn, "history_items", ITEM_COLUMNS, log, file.label)
            redirects = {"redirect_source", "redirect_destination"} <= v
            sql = f"""
                SELECT v.id AS visit_id, v.history_item AS item_id, {col('i', 'url', i)} AS url,
                       {col('i', 'visit_count', i)} AS visit_count, {col('v', 'title', v)} AS title,
                       {col('v', 'visit_time', v)} AS visit_time,
                       {col('v', 'load_successful', v)} AS load_successful,
                       {'si.url' if redirects else 'NULL'} AS source_url,
                       {'di.url' if redirects else 'NULL'} AS dest_url,
                       {'d.visit_time' if redirects and 'visit_time' in v else 'NULL'} AS dest_time
                FROM history_visits AS v
                LEFT JOIN history_items AS i ON i.id = v.history_item
                {'''LEFT JOIN history_visits AS s ON s.id = v.redirect_source
                LEFT JOIN history_items AS si ON si.id = s.history_item
                LEFT JOIN history_visits AS d ON d.id = v.redirect_destination
                LEFT JOIN history_items AS di ON di.id = d.history_item''' if redirects else ''}
                ORDER BY v.visit_time, v.id
            """
            for row in rows(conn, sql):
                loaded = integer(row["load_successful"])
                yield SafariVisit(
                    recovered=salvaged(conn),
                    source=SourceRef(file=file.label, table="history_visits", rowid=integer(row["visit_id"])),
                    url=text(row["url"]),
                    title=text(row["title"]),
                    visit_id=integer(row["visit_id"]),
                    item_id=integer(row["item_id"]),
                    visit_count=integer(row["visit_count"]),
                    visit_time=cocoa(row["visit_time"]),
                    visit_time_raw=raw_value(row["visit_time"]),
                    load_successful=None if loaded is None else bool(loaded),
                    redirect_source_url=text(row["source_url"]),
                    redirect_destination_url=text(row["dest_url"]),
                    redirect_destination_time=cocoa(row["dest_time"]),
                    redirect_destination_time_raw=raw_value(row["dest_time"]),
                )
