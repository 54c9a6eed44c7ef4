"""The `case` and `hunt` commands through click, with their exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from spyscan.commands.case import case
from spyscan.commands.hunt import hunt


def test_case_commands_and_hunt_exit_codes(tmp_path: Path, store_path: Path, make_run: Callable[[str], Path],
                                           first_iocs: Path, new_iocs: Path) -> None:
    runner = CliRunner()
    store = ["--store", str(store_path)]
    assert runner.invoke(case, ["new", "oaxaca", *store]).exit_code == 0
    result = runner.invoke(case, ["add", "oaxaca", str(make_run("r1")), "--device", "iphone-1", *store])
    assert result.exit_code == 0, result.output
    assert "run 1 registered" in result.output
    listed = runner.invoke(case, ["list", *store])
    assert "oaxaca" in listed.output
    shown = runner.invoke(case, ["show", "oaxaca", "--json", *store])
    doc = json.loads(shown.output)
    assert doc["runs"][0]["device"] == "iphone-1" and doc["runs"][0]["folder"] == "ok"

    hunted = runner.invoke(hunt, ["--all", "--iocs", str(new_iocs), "--no-bundled-iocs", "-o",
                                  str(tmp_path / "h1"), "-j", "1", *store])
    assert hunted.exit_code == 3, hunted.output
    assert "NEW TRACES FOUND" in hunted.output
    runs = json.loads((tmp_path / "h1" / "hunt.json").read_text())["runs"]
    # the new app id is found twice (installed, and running: its process is named after it), plus the process
    assert len(runs) == 1 and len(runs[0]["new"]) == 3

    again = runner.invoke(hunt, ["--case", "oaxaca", "--iocs", str(new_iocs), "--no-bundled-iocs", "-o",
                                 str(tmp_path / "h2"), "-j", "1", *store])
    assert again.exit_code == 0, again.output
    assert json.loads((tmp_path / "h2" / "hunt.json").read_text())["runs"] == []


def test_usage_errors_are_one_line(tmp_path: Path, store_path: Path, new_iocs: Path) -> None:
    runner = CliRunner()
    store = ["--store", str(store_path)]
    missing = runner.invoke(case, ["show", "nope", *store])
    assert missing.exit_code == 2 and "no case named 'nope'" in missing.output
    assert "Traceback" not in missing.output
    empty = runner.invoke(hunt, ["--all", "--iocs", str(new_iocs), "--no-bundled-iocs", "-o", str(tmp_path / "h"),
                                 *store])
    assert empty.exit_code == 2 and "no stored runs" in empty.output
    both = runner.invoke(hunt, ["--all", "--case", "x", "-o", str(tmp_path / "h"), *store])
    assert both.exit_code == 2


def test_hunt_writes_reports_for_affected_runs(tmp_path: Path, store_path: Path, make_run: Callable[[str], Path],
                                              new_iocs: Path) -> None:
    runner = CliRunner()
    store = ["--store", str(store_path)]
    runner.invoke(case, ["new", "c", *store])
    runner.invoke(case, ["add", "c", str(make_run("r1")), "--device", "d", *store])
    result = runner.invoke(hunt, ["--iocs", str(new_iocs), "--no-bundled-iocs", "-o", str(tmp_path / "h"),
                                  "--reports", "-j", "1", *store])
    assert result.exit_code == 3, result.output
    report = tmp_path / "h" / "reports" / "run-1"
    detections = json.loads((report / "detections.json").read_text())["detections"]
    assert {d["indicator"]["value"] for d in detections if d["indicator"]} >= {"org.example.notes", "system_server"}
    assert json.loads((tmp_path / "h" / "hunt.json").read_text())["reports"] == {"1": str(report)}
