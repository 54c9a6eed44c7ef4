"""spyscan check on a generated filesystem dump (tar) and a generated sysdiagnose, with a STIX2 file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders.ios_fs import FsDumpBuilder, netusage_rows, shutdown_log
from builders.sysdiagnose import SysdiagnoseBuilder, ps_text
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.errors import EXIT_CLEAN, EXIT_DETECTIONS


def _stix(path: Path, patterns: list[str]) -> Path:
    objects: list[dict[str, object]] = [{"type": "malware", "spec_version": "2.1", "is_family": True,
                                         "id": "malware--11111111-1111-4111-8111-111111111111", "name": "TestSpy",
                                         "created": "2025-01-01T00:00:00Z", "modified": "2025-01-01T00:00:00Z"}]
    for i, pattern in enumerate(patterns):
        ind = f"indicator--00000000-0000-4000-8000-{i:012d}"
        objects.append({"type": "indicator", "spec_version": "2.1", "id": ind, "pattern": pattern,
                        "pattern_type": "stix", "valid_from": "2025-01-01T00:00:00Z",
                        "created": "2025-01-01T00:00:00Z", "modified": "2025-01-01T00:00:00Z"})
        objects.append({"type": "relationship", "spec_version": "2.1", "relationship_type": "indicates",
                        "id": f"relationship--00000000-0000-4000-9000-{i:012d}", "source_ref": ind,
                        "target_ref": "malware--11111111-1111-4111-8111-111111111111",
                        "created": "2025-01-01T00:00:00Z", "modified": "2025-01-01T00:00:00Z"})
    path.write_text(json.dumps({"type": "bundle", "id": "bundle--1", "objects": objects}), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _no_html_report(monkeypatch: pytest.MonkeyPatch) -> None:
    import spyscan.engine.outputs

    monkeypatch.setattr(spyscan.engine.outputs, "write_human_report", lambda *args, **kwargs: None)


def _options(tmp_path: Path, name: str) -> RunOptions:
    stix = _stix(tmp_path / "test.stix2", ["[process:name = 'evilagentd']", "[domain-name:value = 'evil.example']"])
    return RunOptions(output=tmp_path / name, indicators=IndicatorOptions(paths=[stix], bundled=False), jobs=2)


def _dump(planted: bool) -> FsDumpBuilder:
    b = FsDumpBuilder().system_volume().add_system_databases()
    clients = [(40, "/usr/libexec/locationd")]
    if planted:
        clients.append((66, "/private/var/db/evilagentd"))
        b.add_file("private/var/db/evilagentd", b"\xcf\xfa", mode=0o755)
    b.add_text("private/var/db/diagnostics/shutdown.log", shutdown_log([(1_700_000_000, clients, [])]))
    b.add_sqlite("private/var/networkd/netusage.sqlite", netusage_rows([("mDNSResponder", None)]))
    return b


def _detections(result_dir: Path) -> list[dict[str, object]]:
    return list(json.loads((result_dir / "detections.json").read_text())["detections"])


def test_check_filesystem_tar_planted_and_clean(tmp_path: Path) -> None:
    planted = check(_dump(True).build_tar(tmp_path / "planted.tar.gz"), None, _options(tmp_path, "out1"))
    assert planted.exit_code == EXIT_DETECTIONS
    statuses = planted.run.artifacts
    for artifact in ("ios.shutdown_log", "ios.fs.file_listing", "ios.fs.netusage"):
        assert statuses[artifact].status in ("ok", "warning"), (artifact, statuses[artifact])
    found = {(d["artifact"], d.get("rule") or d["kind"]) for d in _detections(planted.output)}
    assert ("ios.shutdown_log", "ios.shutdown_unusual_client") in found
    assert ("ios.shutdown_log", "indicator") in found and ("ios.fs.file_listing", "indicator") in found

    clean = check(_dump(False).build_tar(tmp_path / "clean.tar.gz"), None, _options(tmp_path, "out2"))
    assert clean.exit_code == EXIT_CLEAN
    assert [d["rule"] for d in _detections(clean.output)] == ["ios.shutdown_log_coverage"]  # context only


def test_check_sysdiagnose(tmp_path: Path) -> None:
    b = SysdiagnoseBuilder().logarchive_noise()
    b.add_text("ps.txt", ps_text([("root", 1, 0, "/sbin/launchd"), ("root", 9, 1, "/private/var/tmp/evilagentd")]))
    result = check(b.build(tmp_path), None, _options(tmp_path, "out"))
    assert result.run.kind == "sysdiagnose"
    assert result.run.artifacts["ios.sysdiagnose.ps"].status == "ok"
    hits = [d for d in _detections(result.output) if d["artifact"] == "ios.sysdiagnose.ps"]
    assert hits and all("evilagentd" in str(d["message"]) for d in hits)
