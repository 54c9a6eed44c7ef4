"""Which public investigation an indicator comes from, read from the bundled feeds' ``MANIFEST.json``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spyscan.indicators.model import IndicatorFile

MANIFEST = Path(__file__).resolve().parents[1] / "indicators" / "bundled" / "MANIFEST.json"
ORGANISATIONS = {
    "AmnestyTech": "Amnesty International Security Lab",
    "mvt-project": "Mobile Verification Toolkit (MVT) project",
    "AssoEchap": "Echap",
    "citizenlab": "Citizen Lab",
}
_DATE_IN_PATH = re.compile(r"(?<!\d)(\d{4}-\d{2}(?:[-_]\d{2})?)(?!\d)")


@dataclass(frozen=True)
class Provenance:
    organisation: str
    date: str
    feed: str
    reference: str  # repository and path of the published file
    stalkerware: bool


def _read_manifest(path: Path) -> list[dict[str, Any]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = doc.get("files") if isinstance(doc, dict) else None
    return [f for f in files if isinstance(f, dict)] if isinstance(files, list) else []


def provenances_for(files: list[IndicatorFile], manifest: Path = MANIFEST) -> dict[str, Provenance]:
    """Provenance of each indicator file of a run, from the bundled manifest (by SHA-256, then path)."""
    entries = _read_manifest(manifest)
    by_sha = {str(e.get("sha256")): e for e in entries}
    by_path = {str(e.get("local_path", "")).removeprefix("feeds/"): e for e in entries}
    found: dict[str, Provenance] = {}
    for item in files:
        entry = by_sha.get(item.sha256) or by_path.get(item.file.replace("\\", "/"))
        if entry is None:
            continue
        repository = str(entry.get("repository", ""))
        owner = repository.split("/", 1)[0]
        path_in_repo = str(entry.get("path_in_repository", ""))
        date = _DATE_IN_PATH.search(path_in_repo)
        found[item.file] = Provenance(
            organisation=ORGANISATIONS.get(owner, owner),
            date=date.group(1).replace("_", "-") if date else "",
            feed=str(entry.get("feed", "")),
            reference=f"{repository}/{path_in_repo}" if repository else path_in_repo,
            stalkerware="stalkerware" in (repository + path_in_repo).lower(),
        )
    return found
