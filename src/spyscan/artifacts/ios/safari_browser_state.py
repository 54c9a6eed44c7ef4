"""Safari open tabs (``BrowserState.db``) with the pages of each tab's session history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    WALK_LIMIT,
    cocoa,
    col,
    databases,
    integer,
    load_plist,
    present_columns,
    raw_value,
    rows,
    salvaged,
    text,
)
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.plist import PlistLimitError
from spyscan.evidence.textio import decode_bytes
from spyscan.records.base import SourceRef
from spyscan.records.ios_browsers import SafariTab
from spyscan.texts import N_, tr

REL = "Library/Safari/BrowserState.db"
SPECS = (
    IOSPath(domain="HomeDomain", relative=REL, fs=(
        f"private/var/mobile/{REL}",
        f"private/var/mobile/Containers/Data/Application/*/{REL}",
    )),
    IOSPath(domain="AppDomain-*", relative=REL),
)
TAB_COLUMNS = ("uuid", "title", "url", "user_visible_url", "last_viewed_time", "opened_from_link",
               "private_browsing")
URL_KEYS = ("SessionHistoryEntryURL", "SessionHistoryEntryOriginalURL")
TITLE_KEY = "SessionHistoryEntryTitle"
_URL_BYTES = re.compile(rb"https?://[\x21-\x7e]{3,2048}")


class SessionPages:
    def __init__(self) -> None:
        self.urls: dict[str, None] = {}
        self.titles: dict[str, None] = {}

    def walk(self, value: Any) -> None:
        stack = [value]
        budget = WALK_LIMIT
        while stack:
            budget -= 1
            if budget < 0:  # the caller then takes the URLs from the raw bytes instead (never a silent cut)
                raise PlistLimitError(tr('more than %(walk_limit)s values in a session plist', walk_limit=WALK_LIMIT))
            item = stack.pop()
            if isinstance(item, dict):
                for key, sub in item.items():
                    if key in URL_KEYS and isinstance(sub, str) and sub:
                        self.urls.setdefault(sub, None)
                    elif key == TITLE_KEY and isinstance(sub, str) and sub:
                        self.titles.setdefault(sub, None)
                    else:
                        stack.append(sub)
            elif isinstance(item, list | tuple):
                stack.extend(item)


def session_pages(data: bytes | None) -> tuple[list[str], list[str], bool]:
    """URLs and titles in a ``tab_sessions.session_data`` blob, and whether its plist could be parsed.

    The blob is a small header followed by a binary plist (``SessionHistory`` →
    ``SessionHistoryEntries``); when that layout is not found, URLs are taken from the raw bytes.
    """
    if not data:
        return [], [], True
    pages = SessionPages()
    start = data.find(b"bplist00")
    parsed = False
    if start >= 0:
        try:
            pages.walk(load_plist(data[start:]))
            parsed = True
        except ValueError:
            parsed = False
    if not parsed:
        for match in _URL_BYTES.finditer(data):
            pages.urls.setdefault(decode_bytes(match.group(0)).text, None)
    return list(pages.urls), list(pages.titles), parsed


class SafariBrowserState(Artifact):
    id = "ios.safari_browser_state"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Safari open tabs (BrowserState.db)")
    records = (SafariTab,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[SafariTab]:
        for file, conn in databases(evidence, SPECS, "Safari BrowserState.db", log, "tabs"):
            t = present_columns(conn, "tabs", TAB_COLUMNS, log, file.label)
            sessions = "uuid" in t and {"tab_uuid", "session_data"} <= (
                present_columns(conn, "tab_sessions", ("tab_uuid", "session_data"), log, file.label))
            select = ", ".join(f"{col('t', c, t)} AS {c}" for c in TAB_COLUMNS)
            sql = f"SELECT t.rowid AS rid, {select}, {'s.session_data' if sessions else 'NULL'} AS session_data " \
                  f"FROM tabs AS t {'LEFT JOIN tab_sessions AS s ON s.tab_uuid = t.uuid' if sessions else ''}"
            for row in rows(conn, sql):
                raw = row["session_data"]
                urls, titles, ok = session_pages(raw if isinstance(raw, bytes) else None)
                rowid = integer(row["rid"])
                if not ok:
                    log.warn(tr('%(file)s: tab row %(rowid)s: session data not a readable plist; URLs taken from its '
                                'raw bytes', file=file.label, rowid=rowid))
                yield SafariTab(
                    recovered=salvaged(conn),
                    source=SourceRef(file=file.label, table="tabs", rowid=rowid),
                    tab_id=rowid,
                    uuid=text(row["uuid"]),
                    title=text(row["title"]),
                    url=text(row["url"]),
                    user_visible_url=text(row["user_visible_url"]),
                    opened_from_link=_flag(row["opened_from_link"]),
                    private_browsing=_flag(row["private_browsing"]),
                    last_viewed_time=cocoa(row["last_viewed_time"]),
                    last_viewed_time_raw=raw_value(row["last_viewed_time"]),
                    session_urls=urls,
                    session_titles=titles,
                )


def _flag(value: object) -> bool | None:
    number_value = integer(value)
    return None if number_value is None else bool(number_value)
