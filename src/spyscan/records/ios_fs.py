"""Records that only a full iOS filesystem dump provides."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class FsFileEntry(Record, frozen=True, tag="ios.fs.file"):
    """One entry of the dump's listing.

    ``process_names`` holds the names that could be a process: only the base name of an executable-like
    file (see ``artifacts/ios/fs_file_listing.py``), never every path component.
    """

    path: str  # device path with a leading slash ("/private/var/...")
    name: str
    type: str  # "file", "dir", "link", "other"
    size: int
    mode: str | None  # octal permission bits
    modified: datetime | None
    accessed: datetime | None = None
    changed: datetime | None = None
    created: datetime | None = None
    link_target: str | None = None
    process_names: list[str] = []
    modified_raw: Raw = None  # the stored value
    accessed_raw: Raw = None  # the stored value
    changed_raw: Raw = None  # the stored value
    created_raw: Raw = None  # the stored value

    TIMESTAMPS = (("modified", N_("file modified")), ("changed", N_("file status changed")),
                  ("created", N_("file created")))
    OBSERVABLES = (("path", Obs.FILE_PATH), ("name", Obs.FILE_NAME), ("process_names", Obs.PROCESS))

    def summary(self) -> str:
        return f"{self.type} {self.path} ({self.size} bytes)"


class NetworkProcess(Record, frozen=True, tag="ios.fs.network_process"):
    """A process with network usage in DataUsage.sqlite / netusage.sqlite (ZPROCESS)."""

    database: str
    process: str | None  # the process part of ZPROCNAME (None for "<UUID>/<bundle id>" names)
    bundle_id: str | None
    first_seen: datetime | None
    last_seen: datetime | None
    binary_found: bool | None  # None: not checked (no system volume in the dump, or a bundle id given)
    truncated: bool = False  # the name has 15/16 characters: likely cut by the kernel
    first_seen_raw: Raw = None  # the stored value
    last_seen_raw: Raw = None  # the stored value
    delegate: str | None = None  # ZPROCNAME after the slash when it is not the bundle id (process or label)
    procname: str | None = None  # ZPROCNAME as stored

    TIMESTAMPS = (("first_seen", N_("process first used the network")), ("last_seen",
                                                                         N_("process last used the network")))
    OBSERVABLES = (("process", Obs.PROCESS), ("bundle_id", Obs.APP_ID), ("delegate", Obs.PROCESS),
                   ("delegate", Obs.APP_ID))


class UrlCacheEntry(Record, frozen=True, tag="ios.fs.url_cache"):
    """A response cached by CFNetwork (``Cache.db``: cfurl_cache_response)."""

    cache_file: str
    url: str
    time: datetime | None
    time_raw: str | None = None

    TIMESTAMPS = (("time", N_("URL cached")),)
    OBSERVABLES = (("url", Obs.URL),)


class KeychainAnalyticsString(Record, frozen=True, tag="ios.fs.keychain_analytics"):
    """A text value from a Keychain analytics database (checked as a process and as a domain)."""

    database: str
    table: str
    column: str
    value: str
    time: datetime | None = None  # not read yet (no time column is known for these tables)

    TIMESTAMPS = (("time", N_("keychain analytics event")),)
    OBSERVABLES = (("value", Obs.PROCESS), ("value", Obs.DOMAIN))


class SafariFavicon(Record, frozen=True, tag="ios.fs.safari_favicon"):
    database: str
    page_url: str
    icon_url: str | None
    time: datetime | None
    time_raw: Raw = None  # the stored value

    TIMESTAMPS = (("time", N_("favicon stored")),)
    OBSERVABLES = (("page_url", Obs.URL), ("icon_url", Obs.URL))


class OSVersionSeen(Record, frozen=True, tag="ios.fs.os_version"):
    """An iOS version seen in an analytics journal (the device's update history)."""

    version: str
    build: str | None
    time: datetime | None
    journal: str
    time_raw: Raw = None  # the stored value

    TIMESTAMPS = (("time", N_("iOS version in use")),)


class WebkitOrigin(Record, frozen=True, tag="ios.fs.webkit_origin"):
    """A web origin with stored data (WebKit IndexedDB, LocalStorage, SafariViewService)."""

    store: str  # "IndexedDB", "LocalStorage", "SafariViewService", "WebsiteData"
    origin: str  # scheme://host[:port] or the host
    host: str
    location: str
    modified: datetime | None
    modified_raw: Raw = None  # the stored value

    TIMESTAMPS = (("modified", N_("web origin data modified")),)
    OBSERVABLES = (("host", Obs.DOMAIN), ("origin", Obs.URL))
