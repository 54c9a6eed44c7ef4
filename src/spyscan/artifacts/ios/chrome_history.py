"""Chrome for iOS history (``History``: ``urls`` + ``visits``, WebKit/Chrome time)."""

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
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_browsers import ChromeVisit
from spyscan.texts import N_

CHROME_DOMAIN = "AppDomain-com.google.chrome.ios"
CHROME_DIR = "Library/Application Support/Google/Chrome/Default"


def chrome_spec(name: str) -> IOSPath:
    return IOSPath(domain=CHROME_DOMAIN, relative=f"{CHROME_DIR}/{name}",
                   fs=(f"private/var/mobile/Containers/Data/Application/*/{CHROME_DIR}/{name}",))


class ChromeHistory(Artifact):
    id = "ios.chrome_history"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Chrome history")
    records = (ChromeVisit,)
    absent_means = "not_applicable"  # the app is not installed

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[ChromeVisit]:
        specs = (chrome_spec("History"),)
        for file, conn in databases(evidence, specs, "Chrome History database", log, "urls", "visits"):
            u = present_columns(conn, "urls", ("url", "title"), log, file.label)
            v = present_columns(conn, "visits", ("visit_time", "from_visit", "transition"), log, file.label)
            sql = f"""SELECT v.id AS visit_id, v.url AS url_id, {col('u', 'url', u)} AS url,
                      {col('u', 'title', u)} AS title, {col('v', 'visit_time', v)} AS visit_time,
                      {col('v', 'from_visit', v)} AS from_visit, {col('v', 'transition', v)} AS transition
                      FROM visits AS v LEFT JOIN urls AS u ON u.id = v.url ORDER BY v.id"""
            for row in rows(conn, sql):
                yield ChromeVisit(
                    recovered=salvaged(conn),
                    source=SourceRef(file=file.label, table="visits", rowid=integer(row["visit_id"])),
                    url=text(row["url"]),
                    title=text(row["title"]),
                    visit_id=integer(row["visit_id"]),
                    url_id=integer(row["url_id"]),
                    from_visit=integer(row["from_visit"]),
                    transition=integer(row["transition"]),
                    visit_time=webkit(row["visit_time"]),
                    visit_time_raw=raw_value(row["visit_time"]),
                )
