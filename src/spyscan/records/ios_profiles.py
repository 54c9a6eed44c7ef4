"""iOS configuration profiles (installed profile stubs) and the profile install/remove history."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class IOSConfigurationProfile(Record, frozen=True, tag="ios.configuration_profile"):
    identifier: str | None = None  # PayloadIdentifier
    uuid: str | None = None  # PayloadUUID
    display_name: str | None = None
    organization: str | None = None
    description: str | None = None
    payload_types: list[str] = []  # PayloadType of each payload ("com.apple.notificationsettings", ...)
    payload_identifiers: list[str] = []
    install_date: datetime | None = None
    install_date_raw: Raw = None  # the stored value
    removal_disallowed: bool | None = None
    signed: bool | None = None  # has signer certificates
    profile_ids: list[str] = []  # identifier, UUID and payload identifiers/UUIDs (matched as profile ids)

    TIMESTAMPS = (("install_date", N_("configuration profile installed")),)
    OBSERVABLES = (("profile_ids", Obs.PROFILE_ID),)

    def summary(self) -> str:
        name = self.display_name or self.identifier or self.uuid or "?"
        return f"profile {name} ({', '.join(self.payload_types[:4]) or 'no payloads'})"


class IOSProfileEvent(Record, frozen=True, tag="ios.configuration_profile_event"):
    profile_id: str
    operation: str | None = None  # "install", "remove", ...
    process: str | None = None  # what performed it
    timestamp: datetime | None = None
    timestamp_raw: Raw = None  # the stored value

    TIMESTAMPS = (("timestamp", N_("configuration profile event")),)
    OBSERVABLES = (("profile_id", Obs.PROFILE_ID),)

    def summary(self) -> str:
        return f"profile {self.profile_id} {self.operation or 'event'} by {self.process or '?'}"
