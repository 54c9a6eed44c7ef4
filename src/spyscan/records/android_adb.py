"""ADB state (dumpsys adb): whether a computer is connected and which keys are trusted."""

from __future__ import annotations

from datetime import datetime

from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class AdbTrustedKey(Record, frozen=True, tag="android.adb_key"):
    key_sha256: str  # SHA-256 of the base64 public key text
    comment: str | None  # user@host written after the key
    last_connection: datetime | None = None
    last_connection_raw: Raw = None  # the stored value
    connected_to_adb: bool | None = None
    last_key_received: str | None = None  # MD5 fingerprint of the last key that connected

    TIMESTAMPS = (("last_connection", N_("adb key last connected")),)

    def summary(self) -> str:
        return f"trusted adb key {self.comment or self.key_sha256[:16]}"
