"""An IDStatusCache account containing NUL bytes."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_system import IDStatusEntry
from spyscan.texts import N_, trn


class IOSIDStatusCacheNul(Rule):
    id = "ios.idstatuscache_nul"
    title = N_("Looked-up account with embedded NUL bytes")
    severity = Severity.HIGH
    why = N_("Accounts looked up through Apple identity services are ordinary e-mail addresses or phone "
             "numbers. NUL bytes inside one point to a malformed account crafted for an iMessage exploit, as "
             "seen in Pegasus infections.")
    record_types = (IDStatusEntry,)

    def check(self, record: Record) -> Iterable[Finding]:
        if isinstance(record, IDStatusEntry) and record.nul_bytes > 0:
            message = trn("account '%(account)s' contains %(num)d NUL byte",
                          "account '%(account)s' contains %(num)d NUL bytes", record.nul_bytes, account=record.account)
            yield Finding(record=record, message=message, observable_type="email", observable_value=record.account)
