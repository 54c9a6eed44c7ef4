"""Firefox for iOS history (``browser.db``: ``history`` + ``visits``)."""

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
    unix,
)
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
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


class FirefoxHistory(Artifact):
    id = "ios.firefox_history"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Firefox history")
    records = (FirefoxVisit,)
    absent_means = "not_applicable"  # the app is not installed

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[FirefoxVisit]:
        for file, conn in databases(evidence, FIREFOX_SPECS, "Firefox browser.db", log, "history", "visits"):
            h = present_columns(conn, "history", ("url", "title"), log, file.label)
            v = present_columns(conn, "visits", ("siteID", "date", "type", "is_local"), log, file.label)
            join = "LEFT JOIN history AS h ON h.id = v.siteID" if "siteID" in v else "LEFT JOIN history AS h ON 0"
            sql = f"""SELECT v.rowid AS rid, {col('v', 'siteID', v)} AS site, {col('h', 'url', h)} AS url,
                      {col('h', 'title', h)} AS title, {col('v', 'date', v)} AS date,
                      {col('v', 'type', v)} AS type, {col('v', 'is_local', v)} AS is_local
                      FROM visits AS v {join} ORDER BY v.rowid"""
            for row in rows(conn, sql):
                local = integer(row["is_local"])
                yield FirefoxVisit(
                    recovered=salvaged(conn),
                    source=SourceRef(file=file.label, table="visits", rowid=integer(row["rid"])),
                    url=text(row["url"]),
                    title=text(row["title"]),
                    history_id=integer(row["site"]),
                    visit_type=integer(row["type"]),
                    is_local=None if local is None else bool(local),
                    visit_time=unix(row["date"]),
                    visit_time_raw=raw_value(row["date"]),
                )
