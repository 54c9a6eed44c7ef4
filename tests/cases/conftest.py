"""Fixtures: stored output folders made by real checks of a small synthetic androidqf acquisition."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from spyscan.demo import write_androidqf_sample
from spyscan.engine import IndicatorOptions, RunOptions, check

# Values present in the synthetic sample (spyscan.demo): an app id, a process name, an APK hash.
FIRST_VALUE = "com.serv.services"  # app id matched by the first indicator file
NEW_APP = "org.example.notes"  # app id matched only by the later file
NEW_PROCESS = "system_server"  # process name matched only by the later file


def stix_bundle(family: str, patterns: list[tuple[str, str]]) -> dict[str, object]:
    """A STIX 2.1 bundle: one malware object and one indicator per ``(indicator id suffix, pattern)``."""
    malware_id = "malware--" + family.lower().ljust(8, "0")[:8] + "-0000-4000-8000-000000000001"
    objects: list[dict[str, object]] = [{
        "type": "malware", "spec_version": "2.1", "id": malware_id, "name": family, "is_family": True,
        "created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z",
    }]
    for suffix, pattern in patterns:
        ind_id = f"indicator--00000000-0000-4000-8000-{suffix:0>12}"
        objects.append({
            "type": "indicator", "spec_version": "2.1", "id": ind_id, "pattern": pattern, "pattern_type": "stix",
            "created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z",
            "valid_from": "2025-01-01T00:00:00Z", "name": f"{family} {suffix}",
        })
        objects.append({
            "type": "relationship", "spec_version": "2.1", "id": f"relationship--00000000-0000-4000-9000-{suffix:0>12}",
            "relationship_type": "indicates", "source_ref": ind_id, "target_ref": malware_id,
            "created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z",
        })
    return {"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "objects": objects}


@pytest.fixture(autouse=True)
def _no_html_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the case store and hunts: skip rendering the human report (speed, isolation)."""
    import spyscan.engine.outputs

    monkeypatch.setattr(spyscan.engine.outputs, "write_human_report", lambda *args, **kwargs: None)


@pytest.fixture
def first_iocs(tmp_path: Path) -> Path:
    path = tmp_path / "iocs" / "first.stix2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stix_bundle("OldSpy", [("1", f"[app:id = '{FIRST_VALUE}']")])), encoding="utf-8")
    return path


@pytest.fixture
def new_iocs(tmp_path: Path) -> Path:
    """A later publication: the old indicator again, plus two that newly match the sample."""
    path = tmp_path / "iocs-new" / "new.stix2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stix_bundle("NewSpy", [
        ("11", f"[app:id = '{NEW_APP}']"),
        ("12", f"[process:name = '{NEW_PROCESS}']"),
        ("13", "[domain-name:value = 'never-seen.example']"),
    ])), encoding="utf-8")
    return path


@pytest.fixture
def make_run(tmp_path: Path, first_iocs: Path) -> Callable[[str], Path]:
    """Check a fresh synthetic acquisition with the first indicator file; returns the output folder."""

    def make(name: str) -> Path:
        sample = write_androidqf_sample(tmp_path / "acq" / name)
        out = tmp_path / "out" / name
        result = check(sample, "androidqf", RunOptions(
            output=out, indicators=IndicatorOptions(paths=[first_iocs], bundled=False), jobs=1,
        ))
        assert result.exit_code == 3  # the first indicator matches
        return out

    return make


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "cases.sqlite"
