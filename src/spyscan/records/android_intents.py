"""Intent filters from dumpsys package resolver tables (activities, receivers, services)."""

from __future__ import annotations

from spyscan.observables import Obs
from spyscan.records.base import Record


class IntentFilterEntry(Record, frozen=True, tag="android.intent_filter"):
    table: str  # "activity", "receiver", "service", "provider"
    group: str  # the sub-table: "Non-Data Actions", "Full MIME Types", "Schemes", ...
    intent: str  # action, MIME type or scheme the component listens for
    package: str
    component: str

    OBSERVABLES = (("package", Obs.APP_ID),)

    def summary(self) -> str:
        return f"{self.table} {self.component} handles {self.intent}"
