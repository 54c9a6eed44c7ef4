"""Databases carried by a sysdiagnose run through the artifacts that already understand them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.core.stix_helpers import write_bundle

from builders.sysdiagnose import SysdiagnoseBuilder, ps_text
from spyscan.engine import IndicatorOptions, RunOptions, check


def _tcc_db(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE access (service TEXT, client TEXT, client_type INTEGER, auth_value INTEGER,"
                 " auth_reason INTEGER, last_modified INTEGER)")
    conn.execute("INSERT INTO access VALUES ('kTCCServiceMicrophone', 'com.evil.listener', 0, 2, 4, 1700000000)")
    conn.execute("INSERT INTO access VALUES ('kTCCServiceCamera', 'com.apple.camera', 0, 2, 4, 1700000000)")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_tcc_database_in_a_sysdiagnose_is_checked(tmp_path: Path) -> None:
    builder = SysdiagnoseBuilder()
    builder.add_text("ps.txt", ps_text([("root", 1, 0, "/sbin/launchd")]))
    builder.add_file("logs/Accessibility/TCC.db", _tcc_db(tmp_path / "TCC.db"))
    (tmp_path / "in").mkdir()
    archive = builder.build(tmp_path / "in")
    bundle = write_bundle(tmp_path / "i.stix2", "Listener", ["[app:id = 'com.evil.listener']"])
    result = check(archive, None, RunOptions(output=tmp_path / "out", jobs=1,
                                             indicators=IndicatorOptions(paths=[bundle], bundled=False)))
    assert result.run.kind == "sysdiagnose"
    assert result.run.artifacts["ios.tcc"].status == "ok"
    assert result.run.artifacts["ios.tcc"].records == 2
    hits = [d for d in result.detections if d.kind == "indicator"]
    assert [(d.artifact, d.observable.value if d.observable else None) for d in hits] == [
        ("ios.tcc", "com.evil.listener")]
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert any(i["path"].endswith("TCC.db") for i in run["inputs"])
