"""iOS browser records: Safari, Chrome, Firefox history/tabs/favicons and WebKit website data."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class SafariVisit(Record, frozen=True, tag="ios.safari_visit"):
    url: str | None = None
    title: str | None = None
    visit_id: int | None = None
    item_id: int | None = None
    visit_count: int | None = None
    visit_time: datetime | None = None
    visit_time_raw: Raw = None
    load_successful: bool | None = None
    redirect_source_url: str | None = None
    redirect_destination_url: str | None = None
    redirect_destination_time: datetime | None = None
    redirect_destination_time_raw: Raw = None

    TIMESTAMPS = (("visit_time", N_("Safari visit")),)
    OBSERVABLES = (
        ("url", Obs.URL),
        ("redirect_source_url", Obs.URL),
        ("redirect_destination_url", Obs.URL),
    )

    def summary(self) -> str:
        text = f"visited {self.url}"
        if self.redirect_destination_url:
            text += f" -> redirected to {self.redirect_destination_url}"
        return text


class SafariTab(Record, frozen=True, tag="ios.safari_tab"):
    tab_id: int | None = None
    uuid: str | None = None
    title: str | None = None
    url: str | None = None
    user_visible_url: str | None = None
    opened_from_link: bool | None = None
    private_browsing: bool | None = None
    last_viewed_time: datetime | None = None
    last_viewed_time_raw: Raw = None
    session_urls: list[str] = []
    session_titles: list[str] = []

    TIMESTAMPS = (("last_viewed_time", N_("Safari tab last viewed")),)
    OBSERVABLES = (("url", Obs.URL), ("user_visible_url", Obs.URL), ("session_urls", Obs.URL))

    def summary(self) -> str:
        return f"Safari tab {self.url} ({len(self.session_urls)} pages in its history)"


class ChromeVisit(Record, frozen=True, tag="ios.chrome_visit"):
    url: str | None = None
    title: str | None = None
    visit_id: int | None = None
    url_id: int | None = None
    from_visit: int | None = None
    transition: int | None = None
    visit_time: datetime | None = None
    visit_time_raw: Raw = None

    TIMESTAMPS = (("visit_time", N_("Chrome visit")),)
    OBSERVABLES = (("url", Obs.URL),)

    def summary(self) -> str:
        return f"Chrome visited {self.url}"


class ChromeFavicon(Record, frozen=True, tag="ios.chrome_favicon"):
    page_url: str | None = None
    icon_url: str | None = None
    icon_type: int | None = None
    last_updated: datetime | None = None
    last_updated_raw: Raw = None

    TIMESTAMPS = (("last_updated", N_("Chrome favicon updated")),)
    OBSERVABLES = (("page_url", Obs.URL), ("icon_url", Obs.URL))

    def summary(self) -> str:
        return f"Chrome favicon {self.icon_url} for {self.page_url}"


class FirefoxVisit(Record, frozen=True, tag="ios.firefox_visit"):
    url: str | None = None
    title: str | None = None
    history_id: int | None = None
    visit_type: int | None = None
    is_local: bool | None = None
    visit_time: datetime | None = None
    visit_time_raw: Raw = None

    TIMESTAMPS = (("visit_time", N_("Firefox visit")),)
    OBSERVABLES = (("url", Obs.URL),)

    def summary(self) -> str:
        return f"Firefox visited {self.url}"


class FirefoxFavicon(Record, frozen=True, tag="ios.firefox_favicon"):
    icon_url: str | None = None
    page_url: str | None = None
    width: int | None = None
    height: int | None = None
    updated: datetime | None = None
    updated_raw: Raw = None

    TIMESTAMPS = (("updated", N_("Firefox favicon updated")),)
    OBSERVABLES = (("icon_url", Obs.URL), ("page_url", Obs.URL))

    def summary(self) -> str:
        return f"Firefox favicon {self.icon_url} for {self.page_url}"


class WebKitObservedDomain(Record, frozen=True, tag="ios.webkit_observed_domain"):
    domain: str | None = None
    domain_id: int | None = None
    had_user_interaction: bool | None = None
    most_recent_user_interaction: datetime | None = None
    most_recent_user_interaction_raw: Raw = None
    last_seen: datetime | None = None  # ObservedDomains.lastSeen (Unix seconds)
    last_seen_raw: Raw = None
    container: str | None = None  # the app container or Safari folder the database belongs to

    TIMESTAMPS = (("last_seen", N_("WebKit: domain last seen")),
                  ("most_recent_user_interaction", N_("WebKit: last user interaction with domain")))
    OBSERVABLES = (("domain", Obs.DOMAIN),)

    def summary(self) -> str:
        return f"WebKit observed {self.domain} ({self.container or 'unknown app'})"


class WebKitResourceLogEntry(Record, frozen=True, tag="ios.webkit_resource_log_entry"):
    origin: str | None = None
    redirects_to: list[str] = []
    redirects_from: list[str] = []
    subframe_origins: list[str] = []
    subresource_origins: list[str] = []
    domains: list[str] = []  # every domain named in the entry
    had_user_interaction: bool | None = None
    most_recent_interaction: datetime | None = None
    most_recent_interaction_raw: Raw = None
    last_seen: datetime | None = None
    last_seen_raw: Raw = None
    container: str | None = None

    TIMESTAMPS = (("last_seen", N_("WebKit session resource log: origin last seen")),
                  ("most_recent_interaction", N_("WebKit session resource log: last interaction")))
    OBSERVABLES = (("domains", Obs.DOMAIN),)

    def summary(self) -> str:
        return f"WebKit session log {self.origin} ({len(self.domains)} domains)"
