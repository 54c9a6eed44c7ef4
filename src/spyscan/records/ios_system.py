"""iOS system records: data usage, permissions, shortcuts, identity lookups, location clients, preferences."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class DataUsageRow(Record, frozen=True, tag="ios.datausage_row"):
    """One ``ZLIVEUSAGE`` row with its process, or a ``ZPROCESS`` row that has no usage row."""

    process_pk: int | None = None  # ZPROCESS.Z_PK (None when the referenced process row is gone)
    live_usage_pk: int | None = None  # ZLIVEUSAGE.Z_PK (None for a process-only row)
    has_process: int | None = None  # ZLIVEUSAGE.ZHASPROCESS as stored
    process: str | None = None  # the process part of ZPROCNAME (None for "<UUID>/<bundle id>" names)
    bundle_id: str | None = None
    delegate: str | None = None  # ZPROCNAME after the slash when it is not the bundle id (process or label)
    procname: str | None = None  # ZPROCNAME as stored
    first_seen: datetime | None = None
    first_seen_raw: Raw = None
    last_seen: datetime | None = None
    last_seen_raw: Raw = None
    usage_time: datetime | None = None
    usage_time_raw: Raw = None
    wifi_in: float | None = None
    wifi_out: float | None = None
    wwan_in: float | None = None
    wwan_out: float | None = None

    TIMESTAMPS = (("first_seen", N_("process first used network")), ("usage_time", N_("network usage recorded")))
    OBSERVABLES = (("process", Obs.PROCESS), ("bundle_id", Obs.APP_ID), ("delegate", Obs.PROCESS),
                   ("delegate", Obs.APP_ID))

    def summary(self) -> str:
        return (f"{self.procname or self.bundle_id or f'missing process {self.has_process}'} wifi {self.wifi_in}/"
                f"{self.wifi_out} wwan {self.wwan_in}/{self.wwan_out}")


class ADDailyUsage(Record, frozen=True, tag="ios.osanalytics_addaily"):
    process: str | None = None
    app_id: str | None = None
    timestamp: datetime | None = None
    timestamp_raw: Raw = None
    wifi_in: float | None = None
    wifi_out: float | None = None
    wwan_in: float | None = None
    wwan_out: float | None = None

    TIMESTAMPS = (("timestamp", N_("daily network usage baseline")),)
    OBSERVABLES = (("process", Obs.PROCESS), ("app_id", Obs.APP_ID))


class TCCAccess(Record, frozen=True, tag="ios.tcc_access"):
    service: str | None = None
    client: str | None = None
    client_type: int | None = None  # 0 bundle id, 1 absolute path
    app_id: str | None = None  # the client when it is an identifier
    process: str | None = None  # the client when it is a path, or an identifier without a dot (a process name)
    auth_value: int | None = None
    auth_reason: int | None = None
    allowed: bool | None = None
    last_modified: datetime | None = None
    last_modified_raw: Raw = None

    TIMESTAMPS = (("last_modified", N_("permission changed")),)
    OBSERVABLES = (("app_id", Obs.APP_ID), ("process", Obs.PROCESS))

    def summary(self) -> str:
        state = "unknown" if self.allowed is None else ("allowed" if self.allowed else "denied")
        return f"{self.client} {self.service} {state}"


class Shortcut(Record, frozen=True, tag="ios.shortcut"):
    shortcut_id: int | None = None
    name: str | None = None
    description: str | None = None
    action_count: int | None = None
    action_ids: list[str] = []
    urls: list[str] = []
    action_text: list[str] = []  # string parameters of the actions
    created: datetime | None = None
    created_raw: Raw = None
    modified: datetime | None = None
    modified_raw: Raw = None

    TIMESTAMPS = (("created", N_("shortcut created")), ("modified", N_("shortcut modified")))
    OBSERVABLES = (("urls", Obs.URL), ("action_text", Obs.TEXT))

    def summary(self) -> str:
        return f"shortcut {self.name!r}: {len(self.action_ids)} actions, {len(self.urls)} URLs"


class IDStatusEntry(Record, frozen=True, tag="ios.idstatuscache_entry"):
    service: str | None = None
    account: str | None = None  # as stored, NUL bytes escaped as \\x00
    email: str | None = None
    phone: str | None = None
    nul_bytes: int = 0  # NUL characters inside the stored account
    lookup_status: int | None = None
    lookup_date: datetime | None = None
    lookup_date_raw: Raw = None

    TIMESTAMPS = (("lookup_date", N_("account looked up (IDS)")),)
    OBSERVABLES = (("email", Obs.EMAIL),)

    def summary(self) -> str:
        return f"IDS lookup {self.account} ({self.service})"


class LocationdClient(Record, frozen=True, tag="ios.locationd_client"):
    client: str | None = None
    bundle_id: str | None = None
    bundle_path: str | None = None
    executable: str | None = None
    registered: str | None = None
    authorization: int | None = None
    app_ids: list[str] = []
    times: dict[str, datetime] = {}
    times_raw: dict[str, Raw] = {}
    first_time: datetime | None = None
    last_time: datetime | None = None

    TIMESTAMPS = (("last_time", N_("location client last stopped")),)
    OBSERVABLES = (("app_ids", Obs.APP_ID), ("executable", Obs.PROCESS), ("executable", Obs.FILE_PATH),
                   ("bundle_path", Obs.FILE_PATH))

    def summary(self) -> str:
        return f"location client {self.client} (authorization {self.authorization})"


class GlobalPreferences(Record, frozen=True, tag="ios.global_preferences"):
    lockdown_mode_enabled: bool = False
    lockdown_key_present: bool = False
    locale: str | None = None
    languages: list[str] = []

    def summary(self) -> str:
        return f"Lockdown Mode {'on' if self.lockdown_mode_enabled else 'off'}"
