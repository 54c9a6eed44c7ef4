"""Retro-hunt over stored runs: only what is new, recorded, repeatable, resumable."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from spyscan.cases import hunt_log
from spyscan.cases.hunt import HuntOptions, run_hunt
from spyscan.cases.store import CaseStore

from .conftest import NEW_APP, NEW_PROCESS


def _store_with_runs(store_path: Path, make_run: Callable[[str], Path]) -> CaseStore:
    store = CaseStore(store_path)
    store.new_case("oaxaca-2025")
    store.add_run("oaxaca-2025", make_run("a1"), device="phone-a")
    store.add_run("oaxaca-2025", make_run("a2"), device="phone-a")
    store.new_case("other")
    store.add_run("other", make_run("b1"), device="phone-b")
    return store


def test_hunt_reports_exactly_the_new_detections(tmp_path: Path, store_path: Path, make_run: Callable[[str], Path],
                                                 first_iocs: Path, new_iocs: Path) -> None:
    store = _store_with_runs(store_path, make_run)
    result = run_hunt(store, HuntOptions(output=tmp_path / "hunt1", iocs=[first_iocs, new_iocs], bundled=False,
                                         jobs=1))
    assert result.exit_code == 3
    doc = json.loads((tmp_path / "hunt1" / "hunt.json").read_text())
    assert [(r["case"], r["device"]) for r in doc["runs"]] == [
        ("oaxaca-2025", "phone-a"), ("oaxaca-2025", "phone-a"), ("other", "phone-b")]
    for run in doc["runs"]:
        values = sorted(d["indicator"]["value"] for d in run["new"])
        assert values == sorted([NEW_APP, NEW_APP, NEW_PROCESS])  # the app installed, and running
        assert {d["indicator"]["malware"] for d in run["new"]} == {"NewSpy"}
        assert all(d["record"]["record_type"] for d in run["new"])  # full detections.json shape
    assert doc["checked"] == 3 and doc["problems"] == []

    again = run_hunt(store, HuntOptions(output=tmp_path / "hunt2", iocs=[first_iocs, new_iocs], bundled=False,
                                        jobs=1))
    assert again.exit_code == 0
    assert json.loads((tmp_path / "hunt2" / "hunt.json").read_text())["runs"] == []
    assert again.hunt_id != result.hunt_id


def test_hunt_scoped_to_one_case(tmp_path: Path, store_path: Path, make_run: Callable[[str], Path],
                                 new_iocs: Path) -> None:
    store = _store_with_runs(store_path, make_run)
    result = run_hunt(store, HuntOptions(output=tmp_path / "h", case="other", iocs=[new_iocs], bundled=False, jobs=1))
    assert [r.case for r in result.file.runs] == ["other"]
    assert result.file.checked == 1
    # the other case was not hunted: its runs still show the new indicators later
    later = run_hunt(store, HuntOptions(output=tmp_path / "h2", iocs=[new_iocs], bundled=False, jobs=1))
    assert sorted(r.run for r in later.file.runs) == [1, 2]


def test_local_process_pool_equals_inline(tmp_path: Path, store_path: Path, make_run: Callable[[str], Path],
                                          first_iocs: Path, new_iocs: Path) -> None:
    inline = _store_with_runs(store_path, make_run)
    pooled = CaseStore(tmp_path / "store2" / "cases.sqlite")
    pooled.new_case("oaxaca-2025")
    for run in inline.runs():
        if run.case == "oaxaca-2025":
            pooled.add_run("oaxaca-2025", Path(run.output), device=run.device)
    a = run_hunt(inline, HuntOptions(output=tmp_path / "x", case="oaxaca-2025", iocs=[new_iocs], bundled=False,
                                     jobs=1))
    b = run_hunt(pooled, HuntOptions(output=tmp_path / "y", iocs=[new_iocs], bundled=False, jobs=2))
    assert [[d.id for d in r.new] for r in a.file.runs] == [[d.id for d in r.new] for r in b.file.runs]


def test_changed_or_missing_output_folder_is_reported(tmp_path: Path, store_path: Path,
                                                      make_run: Callable[[str], Path], new_iocs: Path) -> None:
    store = CaseStore(store_path)
    store.new_case("c")
    changed = make_run("changed")
    missing = make_run("missing")
    store.add_run("c", changed, device="d1")
    store.add_run("c", missing, device="d2")
    (changed / "run.json").write_text((changed / "run.json").read_text() + " ")
    import shutil

    shutil.rmtree(missing)
    result = run_hunt(store, HuntOptions(output=tmp_path / "h", iocs=[new_iocs], bundled=False, jobs=1))
    problems = {p.device: p for p in result.file.problems}
    assert problems["d1"].status == "changed" and "changed since it was registered" in problems["d1"].message
    assert problems["d2"].status == "missing"
    assert result.file.runs == []


def test_interrupted_hunt_resumes_and_skips_done_runs(tmp_path: Path, store_path: Path,
                                                      make_run: Callable[[str], Path], new_iocs: Path) -> None:
    from spyscan.cases.hunt import HuntProgress
    from spyscan.cases.model import HuntRunResult, StoredRun

    store = _store_with_runs(store_path, make_run)

    class StopAfterOne(HuntProgress):
        def __init__(self) -> None:
            self.seen: list[int] = []

        def done(self, run: StoredRun, result: HuntRunResult) -> None:
            self.seen.append(run.id)
            raise KeyboardInterrupt

    stopper = StopAfterOne()
    options = HuntOptions(output=tmp_path / "h", iocs=[new_iocs], bundled=False, jobs=1)
    with pytest.raises(KeyboardInterrupt):
        run_hunt(store, options, stopper)
    first_hunt = hunt_log.latest_unfinished(store, hunt_log.get_hunt(store, 1).params_key)
    assert first_hunt == 1
    assert hunt_log.done_runs(store, 1) == set(stopper.seen)

    class Recorder(HuntProgress):
        def __init__(self) -> None:
            self.seen: list[int] = []
            self.already = -1

        def start(self, total: int, already_done: int) -> None:
            self.already = already_done

        def done(self, run: StoredRun, result: HuntRunResult) -> None:
            self.seen.append(run.id)

    recorder = Recorder()
    resumed = run_hunt(store, HuntOptions(output=tmp_path / "h", iocs=[new_iocs], bundled=False, jobs=1), recorder)
    assert resumed.resumed and resumed.hunt_id == 1
    assert recorder.already == 1 and sorted(recorder.seen + stopper.seen) == [1, 2, 3]
    assert len(resumed.file.runs) == 3  # the interrupted attempt's findings are in the final hunt.json
    assert hunt_log.get_hunt(store, 1).finished is not None
