"""Intrusion-log security events judged by meaning: a user CA installed (medium, naming the subject), key
generation failures except the one unmodified Pixels log (mvt-project/mvt#826: ``PinStorage_crossReboot_key``,
uid 1001). Shapes as exported (``success`` a JSON bool) and as SecurityLog writes them (``success`` 0/1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders.intrusion_logs import ndjson, write_folder
from spyscan.artifacts.android.intrusion_security import IntrusionSecurity
from spyscan.artifacts.base import ArtifactLog
from spyscan.detection.heuristics.base import all_rules
from spyscan.detection.pipeline import NullMatcher, RecordPipeline
from spyscan.kinds.intrusion_logs import IntrusionLogsEvidence

NS = 1_717_236_000_000_000_000


def _found(tmp_path: Path, events: list[dict[str, object]]) -> list[tuple[str, str, str]]:
    items = [{"security_event": {"event_id": i, "event_time": NS + i, **event}} for i, event in enumerate(events)]
    path = write_folder(tmp_path / "export", {"2024-06-01.txt": ndjson(items)})
    evidence = IntrusionLogsEvidence(path, tmp_path / "work")
    evidence.open()
    pipeline = RecordPipeline(IntrusionSecurity.id, NullMatcher(), list(all_rules().values()))
    for record in IntrusionSecurity().collect(evidence, ArtifactLog()):
        pipeline.feed(record)
    return sorted((d.rule or "", d.severity.value, d.message) for d in pipeline.finish())


@pytest.mark.parametrize("success", [True, 1, None])
def test_an_installed_certificate_authority_is_medium_and_named(tmp_path: Path, success: object) -> None:
    data: dict[str, object] = {"subject": "CN=Interception Root CA,O=Example", "user": 0}
    if success is not None:
        data["success"] = success
    assert _found(tmp_path, [{"cert_authority_installed": data}]) == [
        ("android.intrusion_ca_installed", "medium",
         "certificate authority installed: CN=Interception Root CA,O=Example")]


@pytest.mark.parametrize("success", [False, 0])
def test_a_failed_install_is_context(tmp_path: Path, success: object) -> None:
    assert _found(tmp_path, [{"cert_authority_installed": {"subject": "CN=X", "success": success}}]) == [
        ("android.intrusion_ca_installed", "low", "an attempt to install a certificate authority failed: CN=X")]


@pytest.mark.parametrize("success", [False, 0])
def test_the_known_benign_key_failure_is_not_reported(tmp_path: Path, success: object) -> None:
    events = [{"key_generated": {"success": success, "key_id": "PinStorage_crossReboot_key", "uid": 1001}},
              {"key_generated": {"success": success, "key_id": "PinStorage_crossReboot_key", "uid": 10000}},
              {"key_generated": {"success": True, "key_id": "another", "uid": 10000}}]
    assert _found(tmp_path, events) == [
        ("android.intrusion_key_generation_failed", "low",
         "key generation failed: PinStorage_crossReboot_key (uid 10000)")]
