"""Safari favicons (``Favicons.db``): pages whose icon was stored, even after history was cleared."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import cocoa, open_db, raw_value, require_tables, rows, salvaged, text
from spyscan.artifacts.ios.fs_common import find_all, listed
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_fs import SafariFavicon
from spyscan.texts import N_

REL = "Library/Image Cache/Favicons/Favicons.db"
SPECS = (IOSPath(fs=(f"private/var/mobile/{REL}", f"private/var/mobile/Containers/Data/Application/*/{REL}")),)


class SafariFavicons(Artifact):
    id = "ios.fs.safari_favicons"
    kinds = ("ios-fs",)
    title = N_("Safari favicons")
    records = (SafariFavicon,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[SafariFavicon]:
        source = listed(evidence)
        for file in find_all(source, SPECS, "Favicons.db"):
            with open_db(source, file, log) as conn:
                require_tables(conn, file, "page_url", "icon_info")
                sql = ("SELECT p.rowid AS rid, p.url AS page, i.url AS icon, i.timestamp AS ts FROM page_url AS p "
                       "LEFT JOIN icon_info AS i ON i.uuid = p.uuid ORDER BY i.timestamp")
                for row in rows(conn, sql):
                    page = text(row["page"])
                    if not page:
                        continue
                    yield SafariFavicon(source=SourceRef(file=file.label, table="page_url", rowid=row["rid"]),
                                        recovered=salvaged(conn),
                                        database=file.label, page_url=page, icon_url=text(row["icon"]),
                                        time=cocoa(row["ts"]), time_raw=raw_value(row["ts"]))
