"""Firefox for iOS history (``browser.db``: ``history`` + ``visits``)."""

from __future__ import annotations

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios._table import Join, Row, TableArtifact
from spyscan.evidence.ios import IOSPath
from spyscan.records.ios_browsers import FirefoxVisit
from spyscan.texts import N_

# Backups: AppDomainGroup-group.org.mozilla.ios.Firefox + "profile.profile/browser.db" (lower case; the
# backup file id 2e57c396a35b0d1bcbc624725002d98bd61d142b is its sha1). Both spellings are searched because
# backup paths are matched case-sensitively.
FIREFOX_SPECS = tuple(
    IOSPath(domain=domain, relative=f"{folder}/browser.db", fs=(
        f"private/var/mobile/Containers/Shared/AppGroup/*/{folder}/browser.db",
        f"private/var/mobile/Containers/Data/Application/*/{folder}/browser.db",
        f"private/var/mobile/{folder}/browser.db",
    ))
    for folder in ("profile.profile", "Profile.profile")
    for domain in ("AppDomainGroup-group.org.mozilla.ios.Firefox", "AppDomain-org.mozilla.ios.Firefox")
)


class FirefoxHistory(TableArtifact):
    id = "ios.firefox_history"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Firefox history")
    records = (FirefoxVisit,)
    absent_means = "not_applicable"  # the app is not installed
    specs = FIREFOX_SPECS
    what = "Firefox browser.db"
    table = "visits"
    key = "rowid"
    columns = ("siteID", "date", "type", "is_local")
    joins = (Join(table="history", alias="h", their_key="id", our_column="siteID", columns=("url", "title")),)
    required_tables = ("history",)

    def record(self, row: Row, log: ArtifactLog) -> FirefoxVisit:
        return FirefoxVisit(
            recovered=row.recovered,
            source=row.source,
            url=row.text("h.url"),
            title=row.text("h.title"),
            history_id=row.integer("siteID"),
            visit_type=row.integer("type"),
            is_local=row.flag("is_local"),
            visit_time=row.unix("date"),
            visit_time_raw=row.raw("date"),
        )
