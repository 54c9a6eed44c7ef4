"""A cryptographic key integrity violation logged by intrusion logging."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_intrusion import IntrusionSecurityEvent
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class IntrusionKeyIntegrityViolation(Rule):
    id = "android.intrusion_key_integrity_violation"
    title = N_("Key integrity violation")
    severity = Severity.MEDIUM
    why = N_("Android found that a stored cryptographic key was altered or corrupted. This is rare on a healthy "
             "device and can follow tampering with the keystore.")
    record_types = (IntrusionSecurityEvent,)

    def check(self, record: Record) -> Iterable[Finding]:
        if isinstance(record, IntrusionSecurityEvent) and record.tag == "key_integrity_violation":
            yield Finding(record=record, message=tr("key integrity violation: %(details)s",
                                                    details=(record.details or '')[:300]))
