"""A case's indicator detections as a MISP event (MISP JSON), one attribute per matched indicator value.

Attributes are not marked for IDS export (``to_ids`` false): they are sightings on examined
devices, to be reviewed by the receiving team. The comment names the family, the feed, the
pseudonymous devices and the current triage on each; each device that saw the value adds one MISP
sighting to the attribute: type "1" (false positive) when the analyst triaged it benign there,
type "0" (seen) otherwise.
"""

from __future__ import annotations

import uuid
from typing import Any

from spyscan.cases.model import StoredDetection
from spyscan.cases.store import CaseStore
from spyscan.cases.triage import BENIGN, TriageEntry, current
from spyscan.timeutil import utcnow

NAMESPACE = uuid.UUID("0b5c7d62-4e1f-4a8b-9d2c-6f7e8a9b0c13")

NETWORK = "Network activity"
PAYLOAD = "Payload delivery"
DROPPED = "Artifacts dropped"

# STIX object path -> (MISP attribute type, category)
ATTRIBUTE_TYPES: dict[str, tuple[str, str]] = {
    "domain-name:value": ("domain", NETWORK),
    "ipv4-addr:value": ("ip-dst", NETWORK),
    "ipv6-addr:value": ("ip-dst", NETWORK),
    "url:value": ("url", NETWORK),
    "email-addr:value": ("email-src", PAYLOAD),
    "file:hashes.sha256": ("sha256", PAYLOAD),
    "file:hashes.sha1": ("sha1", PAYLOAD),
    "file:hashes.md5": ("md5", PAYLOAD),
    "file:name": ("filename", DROPPED),
    "file:path": ("filename", DROPPED),
    "app:cert.sha256": ("x509-fingerprint-sha256", DROPPED),
    "app:cert.sha1": ("x509-fingerprint-sha1", DROPPED),
    "app:cert.md5": ("x509-fingerprint-md5", DROPPED),
}
FALLBACK = ("text", DROPPED)  # process names, app ids, Android properties, profile ids


def attribute_type(stix_type: str) -> tuple[str, str]:
    return ATTRIBUTE_TYPES.get(stix_type, FALLBACK)


def case_event(store: CaseStore, case_name: str) -> dict[str, Any]:
    """``{"Event": {...}}`` with one attribute per (indicator type, value) seen in the case."""
    case = store.case(case_name)
    now = utcnow()
    grouped: dict[tuple[str, str], list[tuple[str, StoredDetection, TriageEntry | None]]] = {}
    triage = current(store, case_name)
    for run in store.runs(case_name):
        for det in store.detections(run.id):
            if det.kind == "indicator" and det.indicator is not None:
                key = (det.indicator.type, det.indicator.value)
                grouped.setdefault(key, []).append((f"{run.device} ({run.person})", det,
                                                    triage.get((run.device, det.id))))
    attributes = [_attribute(kind, value, items) for (kind, value), items in sorted(grouped.items())]
    families = sorted({d.indicator.malware for items in grouped.values() for _, d, _ in items
                       if d.indicator is not None and d.indicator.malware})
    event: dict[str, Any] = {
        "uuid": str(uuid.uuid5(NAMESPACE, f"case\x1f{case.name}\x1f{case.created}")),
        "info": f"spyscan case {case.name}: indicator detections on {case.devices} examined device(s)",
        "date": now.date().isoformat(),
        "timestamp": str(int(now.timestamp())),
        "threat_level_id": "1" if families else "4",
        "analysis": "1",
        "distribution": "0",
        "published": False,
        "Attribute": attributes,
        "Tag": [{"name": f'misp-galaxy:tool="{family}"'} for family in families],
    }
    return {"Event": event}


def _triage_by_device(items: list[tuple[str, StoredDetection, TriageEntry | None]]) -> dict[str, str]:
    """Each device's triage of the value: the most cautious state of its detections (benign only if all are)."""
    order = {"confirmed": 0, "needs_review": 1, "none": 2, BENIGN: 3}
    found: dict[str, str] = {}
    for device, _, entry in items:
        state = entry.state if entry is not None else "none"
        if device not in found or order[state] < order[found[device]]:
            found[device] = state
    return found


def _attribute(kind: str, value: str, items: list[tuple[str, StoredDetection, TriageEntry | None]]
               ) -> dict[str, Any]:
    misp_type, category = attribute_type(kind)
    first = items[0][1].indicator
    assert first is not None
    family = first.malware or "unattributed"
    triage = _triage_by_device(items)
    devices = sorted(triage)
    times = sorted(d.timestamp for _, d, _ in items if d.timestamp)
    now = str(int(utcnow().timestamp()))
    attribute: dict[str, Any] = {
        "uuid": str(uuid.uuid5(NAMESPACE, f"{kind}\x1f{value}\x1f{first.stix_id}")),
        "type": misp_type,
        "category": category,
        "value": value,
        "to_ids": False,
        "distribution": "5",
        "comment": f"{family}; feed {first.file}; STIX {kind} ({first.stix_id}); seen on {', '.join(devices)}; "
                   f"triage: {', '.join(f'{d} {s}' for d, s in sorted(triage.items()))}",
        "Sighting": [{"type": "1" if state == BENIGN else "0", "date_sighting": now,
                      "source": f"spyscan device {device}"} for device, state in sorted(triage.items())],
    }
    if times:
        attribute["first_seen"] = times[0]
        attribute["last_seen"] = times[-1]
    return attribute
