"""A case's indicator detections as a STIX 2.1 bundle, for teams sharing with PiRogue/Colander or OpenCTI.

Each device is a pseudonymous ``identity``; each matched indicator gets one ``sighting`` per device
(``sighting_of_ref`` the indicator, ``where_sighted_refs`` the device, first/last seen from the
detection timestamps). The current triage of the detections behind a sighting is in its ``labels``
(``triage:confirmed``, ``triage:benign``, ``triage:needs_review``, ``triage:none``) and in
``x_spyscan_triage`` (detection id -> state and time; the analyst's note stays in the store).
Copies of the matched indicators (with their pattern) make the bundle self-contained: the original
object when its feed file is at hand, otherwise one rebuilt from the matched comparisons (marked
``x_spyscan_rebuilt``). Ids are deterministic, so exports repeat.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spyscan.cases.model import StoredDetection, StoredRun
from spyscan.cases.store import CaseStore
from spyscan.cases.triage import TriageEntry, current
from spyscan.timeutil import utcnow

NAMESPACE = uuid.UUID("5d0d4b1e-8a43-4c1e-9a57-3f4c2a4f6b11")  # spyscan export ids (uuid5)


def stix_time(value: datetime) -> str:
    """A STIX timestamp: UTC with millisecond precision."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S") + f".{value.microsecond // 1000:03d}Z"


def _utc(value: str | None) -> str | None:
    """An ISO-8601 string as a STIX timestamp, or None when it is missing or has no time zone."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stix_time(parsed) if parsed.tzinfo is not None else None


def _sid(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, chr(31).join(parts))}"


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _original_indicators(files: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Indicator objects from feed files still readable at their recorded path (absolute paths only)."""
    found: dict[str, dict[str, Any]] = {}
    for name in files:
        path = Path(name)
        if not path.is_absolute() or not path.is_file():
            continue
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            continue
        objects = doc.get("objects") if isinstance(doc, dict) else None
        for obj in objects if isinstance(objects, list) else []:
            if isinstance(obj, dict) and obj.get("type") == "indicator" and isinstance(obj.get("id"), str):
                found.setdefault(obj["id"], obj)
    return found


def _rebuilt_indicator(stix_id: str, comparisons: set[tuple[str, str]], family: str | None, feed: str,
                       created: str) -> dict[str, Any]:
    pattern = " OR ".join(f"[{kind} = {_quote(value)}]" for kind, value in sorted(comparisons))
    obj: dict[str, Any] = {
        "type": "indicator", "spec_version": "2.1", "id": stix_id, "created": created, "modified": created,
        "pattern": pattern, "pattern_type": "stix", "valid_from": created, "indicator_types": ["malicious-activity"],
        "x_spyscan_rebuilt": True, "x_spyscan_feed": feed,
    }
    if family:
        obj["name"] = f"{family} indicator"
        obj["labels"] = [family]
    return obj


def case_bundle(store: CaseStore, case_name: str) -> dict[str, Any]:
    """The STIX 2.1 bundle of every indicator detection in a case (original checks and hunts)."""
    store.case(case_name)  # raises a clear error for an unknown case
    now = stix_time(utcnow())
    identities: dict[str, dict[str, Any]] = {}
    # (identity id, indicator id) -> detections
    seen: dict[tuple[str, str], list[StoredDetection]] = {}
    comparisons: dict[str, set[tuple[str, str]]] = {}
    meta: dict[str, tuple[str | None, str]] = {}
    devices: dict[str, str] = {}  # identity id -> device label
    for run in store.runs(case_name):
        identity = identities.setdefault(_sid("identity", run.case, run.device, run.person), _identity(run, now))
        devices[identity["id"]] = run.device
        for det in store.detections(run.id):
            if det.kind != "indicator" or det.indicator is None:
                continue
            ind = det.indicator
            seen.setdefault((identity["id"], ind.stix_id), []).append(det)
            comparisons.setdefault(ind.stix_id, set()).add((ind.type, ind.value))
            meta.setdefault(ind.stix_id, (ind.malware, ind.file))
    originals = _original_indicators({feed for _, feed in meta.values()})
    triage = current(store, case_name)
    objects: list[dict[str, Any]] = list(identities.values())
    for stix_id in sorted(comparisons):
        family, feed = meta[stix_id]
        objects.append(originals.get(stix_id) or _rebuilt_indicator(stix_id, comparisons[stix_id], family, feed, now))
    for (identity_id, stix_id), dets in sorted(seen.items()):
        states = {d.id: triage.get((devices[identity_id], d.id)) for d in dets}
        objects.append(_sighting(identity_id, stix_id, dets, identities[identity_id]["created"], now, states))
    return {"type": "bundle", "id": _sid("bundle", "case", case_name, now), "objects": objects}


def _identity(run: StoredRun, now: str) -> dict[str, Any]:
    created = _utc(run.registered) or now
    return {
        "type": "identity", "spec_version": "2.1", "id": _sid("identity", run.case, run.device, run.person),
        "created": created, "modified": created, "name": f"device {run.device} (person {run.person})",
        "identity_class": "individual",
        "description": "Pseudonymous device examined with spyscan (no personal data).",
    }


def _sighting(identity_id: str, stix_id: str, dets: list[StoredDetection], created: str, now: str,
              triage: dict[str, TriageEntry | None]) -> dict[str, Any]:
    # a grouped detection stands for ``count`` occurrences, from ``timestamp`` to ``last_seen``
    times = sorted(t for d in dets for when in (d.timestamp, d.last_seen) if (t := _utc(when)) is not None)
    ind = dets[0].indicator
    assert ind is not None
    family = ind.malware or "unattributed"
    obj: dict[str, Any] = {
        "type": "sighting", "spec_version": "2.1", "id": _sid("sighting", identity_id, stix_id),
        "created": created, "modified": max(created, now),
        "sighting_of_ref": stix_id, "where_sighted_refs": [identity_id],
        "count": sum(max(1, d.count) for d in dets),
        "description": f"{family}: {len(dets)} spyscan detection(s), indicator file {ind.file}",
        "x_spyscan_detection_ids": sorted({d.id for d in dets}),
        "labels": sorted({f"triage:{entry.state if entry else 'none'}" for entry in triage.values()}),
        "x_spyscan_triage": {det_id: {"state": entry.state, "at": _utc(entry.at)}
                             for det_id, entry in sorted(triage.items()) if entry is not None},
    }
    if times:
        obj["first_seen"] = times[0]
        obj["last_seen"] = times[-1]
    return obj
