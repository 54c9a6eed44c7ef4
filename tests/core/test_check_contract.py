"""The output contract of `spyscan check` / `recheck`, through the CLI and the engine."""

from __future__ import annotations

import csv
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from spyscan.demo import PLANTED_APP_ID, write_androidqf_sample
from spyscan.engine import IndicatorOptions, RunOptions, check, recheck
from spyscan.errors import UsageError
from tests.core.stix_helpers import write_bundle

SEVERITIES = {"critical", "high", "medium", "low", "info"}


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "spyscan", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, stdin=subprocess.DEVNULL)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return write_androidqf_sample(tmp_path / "evidence")


def test_check_writes_the_contract(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("check", str(sample), "-o", str(out), "--jobs", "2")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    # owner-only output
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for path in out.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is readable by others ({oct(mode)})"

    run = json.loads((out / "run.json").read_text())
    for key in ("tool", "version", "command", "started", "finished", "kind", "inputs", "indicators", "artifacts"):
        assert key in run
    assert run["tool"] == "spyscan" and run["kind"] == "androidqf"
    assert run["started"].endswith("Z") and run["finished"].endswith("Z")
    assert {i["path"] for i in run["inputs"]} >= {"packages.json", "ps.txt"}
    assert all(len(i["sha256"]) == 64 and i["size"] > 0 for i in run["inputs"])
    assert run["indicators"] and all({"file", "sha256", "count", "source"} <= set(i) for i in run["indicators"])
    for artifact_id, status in run["artifacts"].items():
        assert {"status", "records", "warnings", "seconds", "error"} <= set(status), artifact_id
        assert status["status"] in {"ok", "not_found", "warning", "error", "recovered", "skipped"}
    assert run["artifacts"]["android.androidqf.packages"]["records"] == 3

    lines = (out / "records" / "android.androidqf.packages.jsonl").read_text().splitlines()
    assert len(lines) == 3
    assert all("source" in json.loads(line) for line in lines)

    detections = json.loads((out / "detections.json").read_text())["detections"]
    planted = [d for d in detections if d["kind"] == "indicator"]
    assert len(planted) == 1
    hit = planted[0]
    assert set(hit) >= {"id", "severity", "kind", "artifact", "message", "timestamp", "observable", "indicator",
                        "record"}
    assert hit["severity"] in SEVERITIES
    assert hit["observable"] == {"type": "app_id", "value": PLANTED_APP_ID}
    assert hit["indicator"]["value"] == PLANTED_APP_ID and hit["indicator"]["type"] == "app:id"
    assert hit["indicator"]["malware"] == "NoviSpy"
    assert hit["indicator"]["stix_id"].startswith("indicator--")
    assert hit["indicator"]["file"].endswith("novispy.stix2")
    assert hit["timestamp"] == "2024-03-02T10:15:00Z"
    assert len({d["id"] for d in detections}) == len(detections)

    with (out / "timeline.csv").open(newline="") as fh:
        rows = list(csv.reader(fh))
    stamps = [r[0] for r in rows[1:]]
    assert stamps == sorted(stamps) and stamps
    with (out / "detections_timeline.csv").open(newline="") as fh:
        det_rows = list(csv.reader(fh))
    assert len(det_rows) == 1 + sum(1 for d in detections if d["timestamp"])
    assert (out / "spyscan.log").is_file()


def test_no_bundled_iocs_and_custom_file(sample: Path, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "mine.stix2", "TestFamily", ["[process:name = 'system_server']"])
    out = tmp_path / "out"
    proc = run_cli("check", str(sample), "-o", str(out), "--no-bundled-iocs", "--iocs", str(bundle), "-q")
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout == ""
    run = json.loads((out / "run.json").read_text())
    assert [i["source"] for i in run["indicators"]] == ["cli"]
    detections = json.loads((out / "detections.json").read_text())["detections"]
    indicator_hits = [d for d in detections if d["kind"] == "indicator"]
    assert [d["indicator"]["malware"] for d in indicator_hits] == ["TestFamily"]
    assert indicator_hits[0]["artifact"] == "android.androidqf.ps"


def test_clean_run_exits_zero(sample: Path, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "none.stix2", "Nothing", ["[domain-name:value = 'nothing.invalid']"])
    proc = run_cli("check", str(sample), "-o", str(tmp_path / "out"), "--no-bundled-iocs", "--iocs", str(bundle))
    assert proc.returncode in (0, 3), proc.stderr
    detections = json.loads((tmp_path / "out" / "detections.json").read_text())["detections"]
    severe = [d for d in detections if d["severity"] in ("high", "critical")]
    assert proc.returncode == (3 if severe else 0)
    assert not [d for d in detections if d["kind"] == "indicator"]


def test_usage_errors_exit_2_without_traceback(sample: Path, tmp_path: Path) -> None:
    unknown = tmp_path / "unknown"
    unknown.mkdir()
    (unknown / "notes.txt").write_text("hello")
    proc = run_cli("check", str(unknown), "-o", str(tmp_path / "o1"))
    assert proc.returncode == 2
    assert "androidqf" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "o1").exists()

    proc = run_cli("check", str(tmp_path / "missing"), "-o", str(tmp_path / "o2"))
    assert proc.returncode == 2 and "not found" in proc.stderr

    proc = run_cli("check", str(sample), "-o", str(sample / "results"))
    assert proc.returncode == 2 and "inside the evidence" in proc.stderr
    assert not (sample / "results").exists()

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("earlier results")
    proc = run_cli("check", str(sample), "-o", str(busy))
    assert proc.returncode == 2 and "not empty" in proc.stderr
    assert (busy / "keep.txt").read_text() == "earlier results"

    proc = run_cli("check", str(sample))
    assert proc.returncode == 2
    proc = run_cli("check", str(sample), "-o", str(tmp_path / "o3"), "--kind", "nonsense")
    assert proc.returncode == 2 and "unknown kind" in proc.stderr


def test_missing_indicator_file_is_a_clear_error(sample: Path, tmp_path: Path) -> None:
    proc = run_cli("check", str(sample), "-o", str(tmp_path / "o"), "--iocs", str(tmp_path / "nope.stix2"))
    assert proc.returncode in (1, 2)
    assert "nope.stix2" in proc.stderr and "Traceback" not in proc.stderr


def test_help_documents_exit_codes() -> None:
    proc = run_cli("check", "--help")
    assert proc.returncode == 0
    for code in ("0", "1", "2", "3"):
        assert f"  {code}  " in proc.stdout


def test_recheck_uses_stored_records_only(sample: Path, tmp_path: Path) -> None:
    first = tmp_path / "first"
    none = write_bundle(tmp_path / "none.stix2", "Nothing", ["[domain-name:value = 'nothing.invalid']"])
    result = check(sample, None, RunOptions(output=first, jobs=1,
                                            indicators=IndicatorOptions(paths=[none], bundled=False)))
    assert not [d for d in result.detections if d.kind == "indicator"]
    # the evidence is gone: recheck must work from the stored records alone
    for path in sorted(sample.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    sample.rmdir()
    new = write_bundle(tmp_path / "new.stix2", "NewFamily", [f"[app:id = '{PLANTED_APP_ID}']"])
    second = tmp_path / "second"
    result2 = recheck(first, RunOptions(output=second, jobs=2, indicators=IndicatorOptions(paths=[new],
                                                                                          bundled=False)))
    hits = [d for d in result2.detections if d.kind == "indicator"]
    assert [(d.indicator.malware if d.indicator else None) for d in hits] == ["NewFamily"]
    assert result2.exit_code == 3
    run = json.loads((second / "run.json").read_text())
    assert run["recheck_of"].endswith("run.json") and run["kind"] == "androidqf"
    assert (second / "records" / "android.androidqf.packages.jsonl").read_text() == \
        (first / "records" / "android.androidqf.packages.jsonl").read_text()
    # `check` on a results folder is a recheck too
    third = tmp_path / "third"
    proc = run_cli("check", str(first), "-o", str(third), "--no-bundled-iocs", "--iocs", str(new), "-q")
    assert proc.returncode == 3, proc.stderr
    ids2 = {d.id for d in hits}
    ids3 = {d["id"] for d in json.loads((third / "detections.json").read_text())["detections"]
            if d["kind"] == "indicator"}
    assert ids2 == ids3


def test_engine_refuses_output_inside_evidence(sample: Path) -> None:
    with pytest.raises(UsageError):
        check(sample, "androidqf", RunOptions(output=sample / "sub" / "out"))


def test_demo_command(tmp_path: Path) -> None:
    proc = run_cli("demo", "-o", str(tmp_path / "demo"))
    assert proc.returncode == 3, proc.stderr
    assert "SYNTHETIC" in proc.stdout
    detections = json.loads((tmp_path / "demo" / "results" / "detections.json").read_text())["detections"]
    assert any(d["indicator"] and d["indicator"]["value"] == PLANTED_APP_ID for d in detections)
