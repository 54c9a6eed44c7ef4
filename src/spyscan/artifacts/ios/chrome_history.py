"""Chrome for iOS history (``History``: ``urls`` + ``visits``, WebKit/Chrome time)."""

from __future__ import annotations

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios._table import Join, Row, TableArtifact
from spyscan.evidence.ios import IOSPath
from spyscan.records.ios_browsers import ChromeVisit
from spyscan.texts import N_

CHROME_DOMAIN = "AppDomain-com.google.chrome.ios"
CHROME_DIR = "Library/Application Support/Google/Chrome/Default"


def chrome_spec(name: str) -> IOSPath:
    return IOSPath(domain=CHROME_DOMAIN, relative=f"{CHROME_DIR}/{name}",
                   fs=(f"private/var/mobile/Containers/Data/Application/*/{CHROME_DIR}/{name}",))


class ChromeHistory(TableArtifact):
    id = "ios.chrome_history"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Chrome history")
    records = (ChromeVisit,)
    absent_means = "not_applicable"  # the app is not installed
    specs = (chrome_spec("History"),)
    what = "Chrome History database"
    table = "visits"
    key = "id"
    columns = ("url", "visit_time", "from_visit", "transition")
    joins = (Join(table="urls", alias="u", their_key="id", our_column="url", columns=("url", "title")),)
    required_tables = ("urls",)

    def record(self, row: Row, log: ArtifactLog) -> ChromeVisit:
        return ChromeVisit(
            recovered=row.recovered,
            source=row.source,
            url=row.text("u.url"),
            title=row.text("u.title"),
            visit_id=row.key,
            url_id=row.integer("url"),
            from_visit=row.integer("from_visit"),
            transition=row.integer("transition"),
            visit_time=row.webkit("visit_time"),
            visit_time_raw=row.raw("visit_time"),
        )
