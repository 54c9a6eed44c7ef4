"""``dumpsys package`` activity resolver table: which apps handle which intents."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.android.dumpsys_resolver import parse_resolver_table
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.android_dumpsys import require_section
from spyscan.evidence.base import Evidence
from spyscan.records.android_intents import IntentFilterEntry
from spyscan.texts import N_, tr


class DumpsysActivities(Artifact):
    id = "android.dumpsys.activities"
    kinds = ("androidqf", "bugreport")
    same_data = "dumpsys:package"
    title = N_("Activity intent filters (dumpsys package)")
    records = (IntentFilterEntry,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[IntentFilterEntry]:
        section = require_section(evidence, "package", log=log)
        if not section.contains("Activity Resolver Table:"):
            raise ArtifactNotFound(tr("no Activity Resolver Table in 'dumpsys package'"))
        yield from parse_resolver_table(section, "Activity Resolver Table", "activity")
