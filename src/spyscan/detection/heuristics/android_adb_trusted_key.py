"""A computer is trusted for USB debugging (its ADB key is stored on the phone)."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.android_adb import AdbTrustedKey
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class AndroidAdbTrustedKey(Rule):
    id = "android.adb_trusted_key"
    title = N_("Computer trusted for USB debugging")
    severity = Severity.LOW
    category = CONTEXT
    why = N_("A trusted computer can install apps and read data over USB without asking again. The computer "
             "that made the acquisition is expected; ask the owner about any other.")
    record_types = (AdbTrustedKey,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AdbTrustedKey)
        who: str = record.comment or tr("key %(key)s", key=record.key_sha256[:16])
        yield Finding(record=record, message=tr("a computer is trusted for USB debugging: %(who)s", who=who),
                      observable_type="adb_key", observable_value=record.key_sha256)
