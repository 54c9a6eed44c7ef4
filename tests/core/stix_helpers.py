"""Write small STIX2 bundles for tests."""

from __future__ import annotations

import json
import uuid
from pathlib import Path


def write_bundle(path: Path, family: str, patterns: list[str]) -> Path:
    malware_id = f"malware--{uuid.uuid5(uuid.NAMESPACE_URL, family)}"
    objects: list[dict[str, object]] = [{
        "type": "malware", "spec_version": "2.1", "id": malware_id, "name": family, "is_family": True,
        "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z",
    }]
    for pattern in patterns:
        ind_id = f"indicator--{uuid.uuid5(uuid.NAMESPACE_URL, family + pattern)}"
        objects.append({
            "type": "indicator", "spec_version": "2.1", "id": ind_id, "pattern": pattern, "pattern_type": "stix",
            "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z",
            "valid_from": "2024-01-01T00:00:00Z", "indicator_types": ["malicious-activity"],
        })
        objects.append({
            "type": "relationship", "spec_version": "2.1", "id": f"relationship--{uuid.uuid4()}",
            "relationship_type": "indicates", "source_ref": ind_id, "target_ref": malware_id,
            "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z",
        })
    path.write_text(json.dumps({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}))
    return path
