"""Firefox for iOS favicons (``browser.db``: ``favicons`` linked to pages by ``favicon_sites``)."""

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
    rows,
    salvaged,
    text,
    unix,
)
from spyscan.artifacts.ios.firefox_history import FIREFOX_SPECS
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.sqlite import has_table, schema_notes
from spyscan.records.base import SourceRef
from spyscan.records.ios_browsers import FirefoxFavicon
from spyscan.texts import N_, tr

FAVICON_COLUMNS = ("url", "width", "height", "date")


class FirefoxFavicons(Artifact):
    id = "ios.firefox_favicons"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Firefox favicons")
    records = (FirefoxFavicon,)
    absent_means = "not_applicable"  # the app is not installed

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[FirefoxFavicon]:
        source, files = find_files(evidence, FIREFOX_SPECS, "Firefox browser.db")
        seen_table = False
        for file in files:
            with open_db(source, file, log) as conn:
                table = next((t for t in ("favicons", "favicon_urls") if has_table(conn, t)), None)
                if table is None:
                    seen_table = seen_table or bool(schema_notes(conn))  # a view stood there: warned, not absent
                    continue
                seen_table = True
                f = present_columns(conn, table, FAVICON_COLUMNS, log, file.label)
                linked = table == "favicons" and has_table(conn, "favicon_sites") and has_table(conn, "history")
                page = "h.url" if linked else "NULL"
                join = ("LEFT JOIN favicon_sites AS s ON s.faviconID = f.id LEFT JOIN history AS h ON h.id = s.siteID"
                        if linked else "")
                select = ", ".join(f"{col('f', c, f)} AS {c}" for c in FAVICON_COLUMNS)
                sql = f"SELECT f.rowid AS rid, {select}, {page} AS page_url FROM {table} AS f {join} ORDER BY f.rowid"
                for row in rows(conn, sql):
                    yield FirefoxFavicon(
                        recovered=salvaged(conn),
                        source=SourceRef(file=file.label, table=table, rowid=integer(row["rid"])),
                        icon_url=text(row["url"]),
                        page_url=text(row["page_url"]),
                        width=integer(row["width"]),
                        height=integer(row["height"]),
                        updated=unix(row["date"]),
                        updated_raw=raw_value(row["date"]),
                    )
        if not seen_table:
            raise ArtifactNotFound(tr('no favicons table in Firefox browser.db'))
