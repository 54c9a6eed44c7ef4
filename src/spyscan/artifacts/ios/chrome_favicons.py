"""Chrome for iOS favicons (``Favicons``: page URL → icon URL, bitmap last update)."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    col,
    databases,
    integer,
    present_columns,
    raw_value,
    rows,
    salvaged,
    text,
    webkit,
)
from spyscan.artifacts.ios.chrome_history import chrome_spec
from spyscan.evidence.base import Evidence
from spyscan.evidence.sqlite import has_table
from spyscan.records.base import SourceRef
from spyscan.records.ios_browsers import ChromeFavicon
from spyscan.texts import N_, tr


class ChromeFavicons(Artifact):
    id = "ios.chrome_favicons"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Chrome favicons")
    records = (ChromeFavicon,)
    absent_means = "not_applicable"  # the app is not installed

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[ChromeFavicon]:
        specs = (chrome_spec("Favicons"),)
        for file, conn in databases(evidence, specs, "Chrome Favicons database", log, "icon_mapping", "favicons"):
            m = present_columns(conn, "icon_mapping", ("page_url", "icon_id"), log, file.label)
            f = present_columns(conn, "favicons", ("url", "icon_type"), log, file.label)
            bitmaps = has_table(conn, "favicon_bitmaps") and "last_updated" in present_columns(
                conn, "favicon_bitmaps", ("icon_id", "last_updated"), log, file.label)
            if not bitmaps:
                log.warn(tr('%(file)s: no favicon_bitmaps.last_updated; update times left empty', file=file.label))
            updated = ("(SELECT MAX(b.last_updated) FROM favicon_bitmaps AS b WHERE b.icon_id = f.id)"
                       if bitmaps else "NULL")
            join = "LEFT JOIN favicons AS f ON f.id = m.icon_id" if "icon_id" in m else \
                "LEFT JOIN favicons AS f ON 0"
            sql = f"""SELECT m.rowid AS rid, {col('m', 'page_url', m)} AS page_url, {col('f', 'url', f)} AS url,
                      {col('f', 'icon_type', f)} AS icon_type, {updated} AS last_updated
                      FROM icon_mapping AS m {join} ORDER BY m.rowid"""
            for row in rows(conn, sql):
                yield ChromeFavicon(
                    recovered=salvaged(conn),
                    source=SourceRef(file=file.label, table="icon_mapping", rowid=integer(row["rid"])),
                    page_url=text(row["page_url"]),
                    icon_url=text(row["url"]),
                    icon_type=integer(row["icon_type"]),
                    last_updated=webkit(row["last_updated"]),
                    last_updated_raw=raw_value(row["last_updated"]),
                )
