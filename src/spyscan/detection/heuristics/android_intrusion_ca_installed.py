"""A certificate authority was added to the phone's trusted certificates (intrusion logs)."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.evidence.jsonio import JsonError, decode_json
from spyscan.records.android_intrusion import IntrusionSecurityEvent
from spyscan.records.base import Record
from spyscan.texts import N_, tr

TAG = "cert_authority_installed"  # SecurityLog TAG_CERT_AUTHORITY_INSTALLED: result, subject, user


def event_fields(record: IntrusionSecurityEvent) -> dict[str, object]:
    """The event's data (kept as JSON text in ``details``) as a dict; empty when it is not an object."""
    try:
        data = decode_json((record.details or "{}").encode("utf-8", "backslashreplace"))
    except JsonError:  # not JSON, or nested too deep to read again
        return {}
    return data if isinstance(data, dict) else {}


class IntrusionCaInstalled(Rule):
    id = "android.intrusion_ca_installed"
    title = N_("Certificate authority installed")
    severity = Severity.MEDIUM
    why = N_("A user-installed certificate authority lets whoever holds its key read the phone's encrypted "
             "traffic. Stalkerware and interception setups install one; ask who installed it and why.")
    record_types = (IntrusionSecurityEvent,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, IntrusionSecurityEvent) or record.tag != TAG:
            return
        subject = event_fields(record).get("subject") or tr("unknown subject")
        if record.success is False:
            yield Finding(record=record, severity=Severity.LOW, category=CONTEXT,
                          message=tr("an attempt to install a certificate authority failed: %(subject)s",
                                     subject=subject))
            return
        yield Finding(record=record, message=tr("certificate authority installed: %(subject)s", subject=subject),
                      observable_type="certificate_subject", observable_value=str(subject))
