"""iOS App Privacy Report lines: data/sensor accesses and network activity, per app."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_

ACCESSOR_PATH = "path"


class PrivacyReportAccess(Record, frozen=True, tag="ios.privacy_report.access"):
    """One end of an access interval: an app (bundle id) or a program (path) used a sensor or data."""

    accessor: str  # the identifier as written (a bundle id, or a path)
    accessor_type: str | None = None  # identifierType: "bundleID" or "path"
    bundle_id: str | None = None  # the accessor when it is a bundle id
    path: str | None = None  # the accessor when it is a path
    category: str | None = None  # camera, microphone, location, contacts, photos, screenRecording...
    access_id: str | None = None  # UUID shared by the begin and end lines of one interval
    kind: str | None = None  # intervalBegin / intervalEnd
    time: datetime | None = None
    time_raw: str | None = None

    TIMESTAMPS = (("time", N_("data or sensor access (App Privacy Report)")),)
    OBSERVABLES = (("bundle_id", Obs.APP_ID), ("path", Obs.FILE_PATH), ("path", Obs.PROCESS))

    def summary(self) -> str:
        edge = {"intervalBegin": "began", "intervalEnd": "ended"}.get(self.kind or "", self.kind or "?")
        return f"{self.accessor} {self.category or '?'} access {edge}"


class PrivacyReportNetwork(Record, frozen=True, tag="ios.privacy_report.network"):
    """An app contacted a domain (hits counted between the first and the last time)."""

    bundle_id: str | None = None
    domain: str | None = None
    context: str | None = None  # the website shown in the app (in-app browsing), when given
    initiated: str | None = None  # AppInitiated / NonAppInitiated
    domain_owner: str | None = None
    domain_type: int | None = None  # kept as written (meaning not documented by Apple)
    domain_classification: int | None = None  # kept as written
    hits: int | None = None
    first_time: datetime | None = None
    time: datetime | None = None  # the latest contact
    first_time_raw: str | None = None
    time_raw: str | None = None

    TIMESTAMPS = (("first_time", N_("app first contacted domain (App Privacy Report)")),
                  ("time", N_("app last contacted domain (App Privacy Report)")))
    OBSERVABLES = (("bundle_id", Obs.APP_ID), ("domain", Obs.DOMAIN), ("context", Obs.DOMAIN))

    def summary(self) -> str:
        via = f" (in-app page {self.context})" if self.context else ""
        return f"{self.bundle_id or '?'} contacted {self.domain or '?'}{via}, {self.hits or 0} hit(s)"
