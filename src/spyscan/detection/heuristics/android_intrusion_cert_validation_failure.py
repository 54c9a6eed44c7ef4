"""An X.509 certificate validation failure logged by intrusion logging."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_intrusion import IntrusionSecurityEvent
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class IntrusionCertValidationFailure(Rule):
    id = "android.intrusion_cert_validation_failure"
    title = N_("Certificate validation failure")
    severity = Severity.LOW
    why = N_("The device rejected a certificate. Usually a misconfigured network, but an interception attempt "
             "(a rogue Wi-Fi access point or a proxy presenting its own certificate) looks the same.")
    record_types = (IntrusionSecurityEvent,)

    def check(self, record: Record) -> Iterable[Finding]:
        if isinstance(record, IntrusionSecurityEvent) and record.tag == "cert_validation_failure":
            yield Finding(record=record, message=tr("certificate validation failed: %(details)s",
                                                    details=(record.details or '')[:300]))
