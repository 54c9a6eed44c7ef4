"""SMS and MMS from the telephony provider's files in an Android backup.

``apps/com.android.providers.telephony/d_f/NNNNNN_sms_backup`` and ``..._mms_backup`` each hold a
zlib-compressed JSON array of messages (plain JSON is accepted too).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.jsonio import JsonLimitError, decode_json
from spyscan.faults import registered
from spyscan.kinds.android_backup import AndroidBackupEvidence
from spyscan.links.text import links_in
from spyscan.records.android_backup import BackupMMS, BackupSMS
from spyscan.records.base import Record, SourceRef
from spyscan.texts import N_, tr
from spyscan.timeutil import ANDROID_FLOOR, from_unix
from spyscan.values import safe_text, to_items, to_text

FOLDER = "apps/com.android.providers.telephony/d_f/"
FILE_LIMIT = 256 << 20
JSON_LIMIT = 1 << 30
BOXES = {"1": "received", "2": "sent", "3": "draft", "4": "outbox", "5": "failed", "6": "queued"}

@registered
def stored_text(value: Any) -> str | None:
    """Text as stored (whitespace kept); a number written out; another type is a fault."""
    if isinstance(value, str):
        return safe_text(value) or None
    return to_text(value)


@registered
def stored_ms(value: Any) -> datetime | None:
    """Milliseconds since 1970 as the telephony provider stores them ("0": not set)."""
    if isinstance(value, str) and value.strip() in ("", "0"):
        return None
    return from_unix(value, ANDROID_FLOOR)


def read_flag(value: Any) -> bool | None:
    text = stored_text(value)
    return None if text is None else text not in ("0", "false", "False")


def _inflate(data: bytes) -> bytes:
    if data[:1] in (b"[", b"{"):
        return data
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, JSON_LIMIT)
    if inflater.unconsumed_tail:
        raise ValueError(f"expands beyond {JSON_LIMIT} bytes")
    return out


def _sms(entry: dict[str, Any], ref: SourceRef) -> BackupSMS:
    body = stored_text(entry.get("body"))
    return BackupSMS(source=ref, address=stored_text(entry.get("address")), body=body, links=links_in(body),
                     direction=BOXES.get(stored_text(entry.get("type")) or "", stored_text(entry.get("type"))),
                     read=read_flag(entry.get("read")), date=stored_ms(entry.get("date")),
                     date_raw=stored_text(entry.get("date")), date_sent=stored_ms(entry.get("date_sent")),
                     date_sent_raw=stored_text(entry.get("date_sent")))


def _mms(entry: dict[str, Any], ref: SourceRef) -> BackupMMS:
    body = stored_text(entry.get("mms_body") or entry.get("body"))
    addresses: list[str] = []
    for item in to_items(entry.get("mms_addresses")):
        if isinstance(item, dict) and stored_text(item.get("address")):
            addresses.append(stored_text(item["address"]) or "")
    for item in to_items(entry.get("recipients")):
        if isinstance(item, str) and item and item not in addresses:
            addresses.append(item)
    return BackupMMS(source=ref, addresses=addresses, body=body, links=links_in(body),
                     direction=BOXES.get(stored_text(entry.get("msg_box")) or "", stored_text(entry.get("msg_box"))),
                     read=read_flag(entry.get("read")), date=stored_ms(entry.get("date")),
                     date_raw=stored_text(entry.get("date")), date_sent=stored_ms(entry.get("date_sent")),
                     date_sent_raw=stored_text(entry.get("date_sent")))


class BackupMessages(Artifact):
    id = "android.backup.messages"
    kinds = ("android-backup",)
    title = N_("SMS and MMS (telephony backup)")
    records = (BackupSMS, BackupMMS)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Record]:
        if not isinstance(evidence, AndroidBackupEvidence):
            raise ArtifactNotFound(tr('not an Android backup'))
        found = 0
        for entry in evidence.backup_entries():
            if not entry.name.startswith(FOLDER):
                continue
            base = entry.name.rsplit("/", 1)[-1]
            is_sms, is_mms = base.endswith("_sms_backup"), base.endswith("_mms_backup")
            if not (is_sms or is_mms):
                continue
            found += 1
            try:
                messages = decode_json(_inflate(evidence.read_entry(entry, FILE_LIMIT)))
            except JsonLimitError as exc:
                log.mark_truncated(tr('%(entry)s was not read: %(error)s', entry=entry.name, error=exc))
                continue
            except (zlib.error, ValueError) as exc:  # JsonError is a ValueError
                log.warn(tr('%(entry)s: not a readable message backup (%(error)s)', entry=entry.name, error=exc))
                continue
            if not isinstance(messages, list):
                log.warn(tr('%(entry)s: not a JSON array of messages', entry=entry.name))
                continue
            for position, message in enumerate(messages):
                if not isinstance(message, dict):
                    log.warn(tr('%(entry)s [%(position)s]: not a message object', entry=entry.name, position=position))
                    continue
                ref = SourceRef(file=entry.name, key=f"[{position}]")
                yield _sms(message, ref) if is_sms else _mms(message, ref)
        if not found:
            raise ArtifactNotFound(tr('no SMS/MMS backup files under %(folder)s in this backup', folder=FOLDER))
