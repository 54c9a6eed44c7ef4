"""Network connections from intrusion logs (``connect_event``: ip_address, port, package_name, event_time)."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.android.intrusion_common import (
    as_int,
    as_text,
    clean_ip,
    event_time,
    finish_log,
    intrusion_evidence,
)
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.records.android_intrusion import IntrusionConnectEvent
from spyscan.records.base import SourceRef
from spyscan.texts import N_


class IntrusionConnect(Artifact):
    id = "android.intrusion.connect"
    kinds = ("intrusion-logs",)
    title = N_("Network connections (intrusion logs)")
    records = (IntrusionConnectEvent,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[IntrusionConnectEvent]:
        logs = intrusion_evidence(evidence)
        start = logs.read_mark()
        for event in logs.events("connect_event"):
            data = event.data
            when, raw = event_time(data, logs)
            yield IntrusionConnectEvent(source=SourceRef(file=event.file, line=event.line, key="connect_event"),
                                        ip_address=clean_ip(data.get("ip_address") or data.get("ipAddress")),
                                        port=as_int(data.get("port")),
                                        package=as_text(data.get("package_name") or data.get("packageName")),
                                        time=when, time_raw=raw)
        finish_log(logs, log, start)
