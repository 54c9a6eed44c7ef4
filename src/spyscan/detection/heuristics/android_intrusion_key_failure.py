"""A cryptographic key could not be generated (intrusion logs), except the failures normal phones log."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

from spyscan.detection.heuristics.android_intrusion_ca_installed import event_fields
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
from spyscan.records.android_intrusion import IntrusionSecurityEvent
from spyscan.records.base import Record
from spyscan.texts import N_, tr

TAG = "key_generated"  # SecurityLog TAG_KEY_GENERATED: success, key alias, uid


@cache
def benign_events() -> frozenset[tuple[str, str, str]]:
    """``(tag, key or name, uid)`` of security events normal phones log (data/benign_security_events.txt)."""
    text = resources.files("spyscan.artifacts.android").joinpath("data", "benign_security_events.txt").read_text(
        encoding="utf-8")
    found = set()
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 3:
            found.add((parts[0], parts[1], parts[2]))
    return frozenset(found)


class IntrusionKeyGenerationFailed(Rule):
    id = "android.intrusion_key_generation_failed"
    title = N_("Key generation failed")
    severity = Severity.LOW
    category = CONTEXT
    why = N_("A failure to create a cryptographic key can follow tampering with the keystore, but it is also a "
             "common fault; known harmless failures are not listed.")
    record_types = (IntrusionSecurityEvent,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, IntrusionSecurityEvent) or record.tag != TAG or record.success is not False:
            return
        fields = event_fields(record)
        key = str(fields.get("key_id") or fields.get("alias") or "")
        uid = str(fields.get("uid") if fields.get("uid") is not None else "")
        if (TAG, key, uid) in benign_events():
            return
        yield Finding(record=record, message=tr("key generation failed: %(key)s (uid %(uid)s)",
                                                key=key or tr("unknown key"), uid=uid or "?"))
