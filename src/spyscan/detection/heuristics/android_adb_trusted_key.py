"""A computer is trusted for USB debugging (its ADB key is stored on the phone)."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.android_adb import AdbTrustedKey
from spyscan.records.base import Record


class AndroidAdbTrustedKey(Rule):
    id = "android.adb_trusted_key"
    title = "Computer trusted for USB debugging"
    severity = Severity.LOW
    category = CONTEXT
    why = ("A trusted computer can install apps and read data over USB without asking again. The computer "
           "that made the acquisition is expected; ask the owner about any other.")
    record_types = (AdbTrustedKey,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AdbTrustedKey)
        who = record.comment or f"key {record.key_sha256[:16]}"
        yield Finding(record=record, message=f"a computer is trusted for USB debugging: {who}",
                      observable_type="adb_key", observable_value=record.key_sha256)
