"""End to end (``engine.check``, bundled indicators): one planted value that cannot be converted costs its
field, never the artifact's records nor the detections next to it (issue 17, first two attacks).

Before the fix, a year-1 crash report header or a year-1 ``packages.json`` install time raised an
uncaught ``OverflowError``: the whole artifact failed with no records, and the phone was reported clean.
"""

from __future__ import annotations

from pathlib import Path

from spyscan.engine import IndicatorOptions, RunOptions, RunResult, check
from spyscan.errors import EXIT_DETECTIONS
from spyscan.records.base import Record
from spyscan.records.store import read_stored_records
from tests.builders.androidqf import build_androidqf, package
from tests.builders.sysdiagnose import SysdiagnoseBuilder, ips_text, ps_text

PEGASUS_PROCESS = "fservernetd"  # public Pegasus indicator (Amnesty, 2021), bundled
STALKERWARE_APP = "com.apspy.app"  # public stalkerware indicator (Echap), bundled
YEAR_ONE_HEADER = "0001-01-01 00:00:00.00 +0200"  # before year 1 once moved to UTC
YEAR_ONE_ISO = "0001-01-01T00:00:00+01:00"


def _check(path: Path, out: Path) -> RunResult:
    return check(path, None, RunOptions(output=out, indicators=IndicatorOptions(bundled=True), jobs=1))


def _records(result: RunResult, artifact: str) -> list[Record]:
    return list(read_stored_records(result.output / "records" / f"{artifact}.jsonl", lambda _: None))


def _fault_warning(result: RunResult, artifact: str) -> str:
    status = result.run.artifacts[artifact]
    assert status.status == "warning", status
    [line] = [w for w in status.warnings if "could not be converted" in w]
    return line


def test_a_year_one_crash_report_costs_its_time_not_the_pegasus_detection(tmp_path: Path) -> None:
    b = SysdiagnoseBuilder()
    b.add_text("ps.txt", ps_text([("root", 1, 0, "/sbin/launchd")]))
    b.add_text("crashes_and_spins/planted.ips",
               ips_text({"bug_type": "109", "timestamp": YEAR_ONE_HEADER, "app_name": "Notes"}, {"procName": "Notes"}))
    b.add_text("crashes_and_spins/fservernetd-2023-11-14-101010.ips",
               ips_text({"bug_type": "109", "timestamp": "2023-11-14 10:10:10.00 +0100"},
                        {"procName": PEGASUS_PROCESS, "procPath": f"/usr/libexec/{PEGASUS_PROCESS}"}))
    result = _check(b.build(tmp_path), tmp_path / "out")

    assert result.exit_code == EXIT_DETECTIONS
    assert any(d.observable is not None and d.observable.value == PEGASUS_PROCESS for d in result.detections)
    assert "time out of range ×1" in _fault_warning(result, "ios.crash_reports")
    reports = {getattr(r, "process", None): r for r in _records(result, "ios.crash_reports")}
    assert set(reports) == {"Notes", PEGASUS_PROCESS}
    planted = reports["Notes"]
    assert planted.time is None and planted.time_raw == YEAR_ONE_HEADER  # type: ignore[attr-defined]
    assert reports[PEGASUS_PROCESS].time is not None  # type: ignore[attr-defined]


def test_a_year_one_install_time_costs_its_field_not_the_stalkerware_detection(tmp_path: Path) -> None:
    planted = package("com.example.notes")
    planted["first_install_time"] = YEAR_ONE_ISO
    planted["last_update_time"] = 1e300  # a number where text is expected, far past year 9999
    stalkerware = package(STALKERWARE_APP, installer=None)
    stalkerware["first_install_time"] = "2024-03-01T10:00:00Z"
    result = _check(build_androidqf(tmp_path / "acq", packages=[planted, stalkerware]), tmp_path / "out")

    assert result.exit_code == EXIT_DETECTIONS
    assert any(d.observable is not None and d.observable.value == STALKERWARE_APP for d in result.detections)
    warning = _fault_warning(result, "android.androidqf.packages")
    assert "time out of range ×1 (e.g. '0001-01-01T00:00:00+01:00')" in warning and "wrong type ×1" in warning
    packages = {getattr(r, "package", None): r for r in _records(result, "android.androidqf.packages")}
    assert STALKERWARE_APP in packages and "com.example.notes" in packages
    notes = packages["com.example.notes"]
    assert notes.first_install is None and notes.first_install_raw == YEAR_ONE_ISO  # type: ignore[attr-defined]
    assert notes.last_update is None and notes.last_update_raw == 1e300  # type: ignore[attr-defined]
    assert packages[STALKERWARE_APP].first_install is not None  # type: ignore[attr-defined]
