"""CFNetwork URL caches (``Cache.db`` anywhere in the dump): every cached request URL with its time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import open_db, rows, salvaged, text
from spyscan.artifacts.ios.fs_common import find_all, listed
from spyscan.errors import BudgetExceeded
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.sqlite import has_table, table_columns
from spyscan.faults import registered
from spyscan.records.base import SourceRef
from spyscan.records.ios_fs import UrlCacheEntry
from spyscan.texts import N_, tr
from spyscan.timeutil import IOS_FLOOR, from_text

SPECS = (IOSPath(fs=("private/var/**/Cache.db",)),)


@registered
def cache_time(raw: str | None) -> datetime | None:
    """``2023-05-01 10:00:00`` (UTC, as CFNetwork writes it)."""
    return from_text(raw, ("%Y-%m-%d %H:%M:%S",), IOS_FLOOR)


class UrlCaches(Artifact):
    id = "ios.fs.url_cache"
    kinds = ("ios-fs",)
    title = N_("URL caches (Cache.db)")
    records = (UrlCacheEntry,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[UrlCacheEntry]:
        source = listed(evidence)
        for file in find_all(source, SPECS, "Cache.db"):
            try:
                with open_db(source, file, log) as conn:
                    if not has_table(conn, "cfurl_cache_response"):
                        continue
                    stamp = "time_stamp" if "time_stamp" in table_columns(conn, "cfurl_cache_response") else "NULL"
                    sql = f"SELECT entry_ID, request_key, {stamp} AS time_stamp FROM cfurl_cache_response"
                    for row in rows(conn, sql):
                        url = text(row["request_key"])
                        if not url:
                            continue
                        raw = text(row["time_stamp"])
                        yield UrlCacheEntry(recovered=salvaged(conn),
                                            source=SourceRef(file=file.label, table="cfurl_cache_response",
                                                             rowid=row["entry_ID"]),
                                            cache_file=file.label, url=url, time=cache_time(raw), time_raw=raw)
            except BudgetExceeded:  # a budget or a stop request ends the artifact, never a warning
                raise
            except Exception as exc:  # one damaged cache never hides the others
                log.warn(tr('%(file)s: not readable (%(error)s)', file=file.label, error=exc))
