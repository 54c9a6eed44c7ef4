"""DNS lookups from intrusion logs (``dns_event``: hostname, ip_addresses, package_name, event_time)."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.android.intrusion_common import (
    as_text,
    clean_ip,
    event_time,
    finish_log,
    intrusion_evidence,
)
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.records.android_intrusion import IntrusionDnsEvent
from spyscan.records.base import SourceRef
from spyscan.texts import N_


class IntrusionDns(Artifact):
    id = "android.intrusion.dns"
    kinds = ("intrusion-logs",)
    title = N_("DNS lookups (intrusion logs)")
    records = (IntrusionDnsEvent,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[IntrusionDnsEvent]:
        logs = intrusion_evidence(evidence)
        start = logs.read_mark()
        for event in logs.events("dns_event"):
            data = event.data
            addresses = data.get("ip_addresses") or data.get("ipAddresses") or []
            ips = [ip for ip in (clean_ip(a) for a in (addresses if isinstance(addresses, list) else []))
                   if ip and ip != "0.0.0.0"]  # noqa: S104 - a value read from the logs, not a bind address
            when, raw = event_time(data, logs)
            yield IntrusionDnsEvent(source=SourceRef(file=event.file, line=event.line, key="dns_event"),
                                    hostname=as_text(data.get("hostname")), ip_addresses=ips,
                                    package=as_text(data.get("package_name") or data.get("packageName")),
                                    time=when, time_raw=raw)
        finish_log(logs, log, start)
