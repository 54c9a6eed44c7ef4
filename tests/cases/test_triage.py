"""Triage in the case store: append-only history per finding and device, respected by hunts, shown by exports."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from spyscan.cases import triage
from spyscan.cases.export_misp import case_event
from spyscan.cases.export_stix import case_bundle
from spyscan.cases.hunt import HuntOptions, run_hunt
from spyscan.cases.model import SourceKey, StoredRun, TriageEvidence
from spyscan.cases.store import CaseStore
from spyscan.demo import write_androidqf_sample
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.errors import UsageError

from .conftest import FIRST_VALUE, NEW_APP, NEW_PROCESS, stix_bundle


def _finding(store: CaseStore, run: StoredRun, value: str) -> str:
    return _findings(store, run, value)[0]


def _findings(store: CaseStore, run: StoredRun, value: str) -> list[str]:
    """Every finding of an indicator value (an Android app id is found as an app and as a process)."""
    return sorted(d.id for d in store.detections(run.id) if d.indicator is not None and d.indicator.value == value)


def _hunt(store: CaseStore, out: Path, iocs: list[Path]) -> dict[str, object]:
    run_hunt(store, HuntOptions(output=out, iocs=iocs, bundled=False, jobs=1))
    doc: dict[str, object] = json.loads((out / "hunt.json").read_text())
    return doc


def _new(doc: dict[str, object]) -> dict[int, list[str]]:
    runs = doc["runs"]
    assert isinstance(runs, list)
    return {r["run"]: sorted(d["indicator"]["value"] for d in r["new"]) for r in runs}


def test_history_is_append_only(store_path: Path, make_run: Callable[[str], Path]) -> None:
    store = CaseStore(store_path)
    store.new_case("c")
    run = store.add_run("c", make_run("a"), device="phone-a")
    det = _finding(store, run, FIRST_VALUE)
    first = triage.record(store, run.id, det, "needs_review", "unusual app, ask the owner", "Ana")
    second = triage.record(store, run.id, det, "confirmed", "the owner never installed it", "  Luis  Pérez ")
    assert (first.previous, second.previous, second.analyst) == (None, "needs_review", "Luis Pérez")
    history = triage.history(store, run, det)
    assert [(h.state, h.note) for h in history] == [
        ("needs_review", "unusual app, ask the owner"), ("confirmed", "the owner never installed it")]
    assert history[0].evidence.sources[0].stix_id.startswith("indicator--")
    assert triage.for_run(store, run)[det].state == "confirmed"
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE triage SET state = 'benign'")
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("DELETE FROM triage")
    assert len(triage.history(store, run, det)) == 2


def test_bad_triage_is_refused_and_nothing_stored(store_path: Path, make_run: Callable[[str], Path]) -> None:
    store = CaseStore(store_path)
    store.new_case("c")
    run = store.add_run("c", make_run("a"), device="phone-a")
    det = _finding(store, run, FIRST_VALUE)
    for state, detection, note, analyst in (("maybe", det, "", "Ana"), ("benign", det, "", "  "),
                                            ("benign", "no-such-id", "", "Ana"), ("benign", det, "\x1b[2J", "Ana"),
                                            ("benign", det, "x" * 5000, "Ana"), ("benign", det, "", "A" * 101)):
        with pytest.raises(UsageError):
            triage.record(store, run.id, detection, state, note, analyst)
    assert store.db.execute("SELECT COUNT(*) FROM triage").fetchone()[0] == 0


def test_triage_follows_the_finding_on_the_device_only(store_path: Path, make_run: Callable[[str], Path]) -> None:
    store = CaseStore(store_path)
    store.new_case("c")
    a1 = store.add_run("c", make_run("a1"), device="phone-a")
    a2 = store.add_run("c", make_run("a2"), device="phone-a")
    b1 = store.add_run("c", make_run("b1"), device="phone-b")
    det = _finding(store, a1, FIRST_VALUE)
    assert det == _finding(store, a2, FIRST_VALUE) == _finding(store, b1, FIRST_VALUE)  # ids do not depend on runs
    triage.record(store, a1.id, det, "benign", "test phone of the helpline", "Ana")
    assert triage.for_run(store, a2)[det].state == "benign"
    assert det not in triage.for_run(store, b1)


def test_evidence_changes() -> None:
    base = TriageEvidence(severity="medium", sources=[SourceKey("indicator--1", "a.stix2")], count=2,
                          latest="2024-05-01T10:00:00Z")
    assert triage.evidence_changes(base, base) == []
    same_later_spelling = TriageEvidence(severity="low", sources=[SourceKey("indicator--1", "elsewhere/a.stix2")],
                                         count=1, latest="2024-05-01T10:00:00.000000Z")
    assert triage.evidence_changes(base, same_later_spelling) == []  # less is no change
    changed = TriageEvidence(severity="high", sources=[SourceKey("indicator--1", "a.stix2"),
                                                       SourceKey("indicator--2", "new.stix2")],
                             count=3, latest="2024-06-01T00:00:00Z")
    codes = [c.code for c in triage.evidence_changes(base, changed)]
    assert codes == ["severity", "source", "later", "more"]
    texts = [c.text() for c in triage.evidence_changes(base, changed)]
    assert "severity rose from medium to high" in texts[0] and "new.stix2 (indicator--2)" in texts[1]
    untimed = TriageEvidence(severity="medium", sources=base.sources, count=2, latest=None)
    assert [c.code for c in triage.evidence_changes(untimed, base)] == ["later"]


def _later_sample(folder: Path) -> Path:
    """The demo acquisition, made again later: the app NEW_APP was (re)installed after the first acquisition."""
    write_androidqf_sample(folder)
    packages = json.loads((folder / "packages.json").read_text())
    for package in packages:
        if package["name"] == NEW_APP:
            package["first_install_time"] = "2024-09-01T08:00:00Z"
            package["last_update_time"] = "2024-09-02T08:00:00Z"
    (folder / "packages.json").write_text(json.dumps(packages), encoding="utf-8")
    return folder


def test_a_hunt_never_raises_a_benign_finding_again_unless_its_evidence_changed(
        tmp_path: Path, store_path: Path, make_run: Callable[[str], Path], first_iocs: Path, new_iocs: Path) -> None:
    store = CaseStore(store_path)
    store.new_case("c")
    a1 = store.add_run("c", make_run("a1"), device="phone-a")
    b1 = store.add_run("c", make_run("b1"), device="phone-b")
    iocs = [first_iocs, new_iocs]
    found = [NEW_APP, NEW_APP, NEW_PROCESS]  # the notes app is found twice: as an installed app and a process
    assert _new(_hunt(store, tmp_path / "h1", iocs)) == {a1.id: found, b1.id: found}
    notes = _findings(store, a1, NEW_APP)
    assert len(notes) == 2
    for finding in notes:
        triage.record(store, a1.id, finding, "benign", "the owner's own notes app", "Ana")
    triage.record(store, a1.id, _finding(store, a1, NEW_PROCESS), "confirmed", "", "Ana")

    # a new acquisition of the same device: the benign findings are not raised again, the others are
    a2 = store.add_run("c", make_run("a2"), device="phone-a")
    doc = _hunt(store, tmp_path / "h2", iocs)
    assert _new(doc) == {a2.id: [NEW_PROCESS]}
    assert doc["suppressed"] == 2
    assert hunt_news(store, doc) == {a2.id: {}}

    # a new investigation lists the same value: its evidence changed (a new source), so it is raised again,
    # on both acquisitions of the device, with what changed; never on the other device (not triaged there)
    third = tmp_path / "iocs-third" / "third.stix2"
    third.parent.mkdir()
    third.write_text(json.dumps(stix_bundle("ThirdSpy", [("31", f"[app:id = '{NEW_APP}']")])), encoding="utf-8")
    doc = _hunt(store, tmp_path / "h3", [*iocs, third])
    assert _new(doc) == {a1.id: [NEW_APP, NEW_APP], a2.id: [NEW_APP, NEW_APP]}
    changed = {r["run"]: r["changed"] for r in doc["runs"]}  # type: ignore[union-attr]
    assert sorted(changed[a1.id]) == notes
    reason = changed[a1.id][notes[0]][0]
    assert "a new indicator source lists it" in reason and "third.stix2" in reason
    assert changed.get(b1.id, {}) == {}

    # the same hunt again: already raised with this evidence, not again
    doc = _hunt(store, tmp_path / "h4", [*iocs, third])
    assert _new(doc) == {} and doc["suppressed"] == 0

    # a later acquisition shows the app installed later: new activity, raised again
    sample = _later_sample(tmp_path / "acq" / "a3")
    out = tmp_path / "out" / "a3"
    check(sample, "androidqf", RunOptions(output=out, indicators=IndicatorOptions(paths=[first_iocs], bundled=False),
                                          jobs=1))
    a3 = store.add_run("c", out, device="phone-a")
    doc = _hunt(store, tmp_path / "h5", [*iocs, third])
    package = next(d for r in doc["runs"] for d in r["new"]  # type: ignore[union-attr]
                   if d["artifact"].endswith("packages") and d["indicator"]["value"] == NEW_APP)
    assert _new(doc) == {a3.id: [NEW_APP, NEW_PROCESS]}  # the package, installed later; the process: no time
    reasons = {r["run"]: r["changed"] for r in doc["runs"]}[a3.id]  # type: ignore[union-attr]
    assert [text.split(":")[0] for text in reasons[package["id"]]] == ["a later occurrence"]


def hunt_news(store: CaseStore, doc: dict[str, object]) -> dict[int, dict[str, list[str]]]:
    runs = doc["runs"]
    assert isinstance(runs, list)
    return {r["run"]: r["changed"] for r in runs}


def test_exports_show_the_current_triage(store_path: Path, make_run: Callable[[str], Path]) -> None:
    store = CaseStore(store_path)
    store.new_case("c")
    a1 = store.add_run("c", make_run("a1"), device="phone-a")
    b1 = store.add_run("c", make_run("b1"), device="phone-b")
    det = _finding(store, a1, FIRST_VALUE)
    triage.record(store, a1.id, det, "needs_review", "", "Ana")
    triage.record(store, a1.id, det, "benign", "secret note about the person", "Ana")
    triage.record(store, b1.id, det, "confirmed", "", "Luis")
    bundle = case_bundle(store, "c")
    sightings = {o["where_sighted_refs"][0]: o for o in bundle["objects"] if o["type"] == "sighting"}
    names = {o["id"]: o["name"] for o in bundle["objects"] if o["type"] == "identity"}
    by_device = {names[k].split()[1]: v for k, v in sightings.items()}
    assert by_device["phone-a"]["labels"] == ["triage:benign"]
    assert by_device["phone-a"]["x_spyscan_triage"][det]["state"] == "benign"
    assert by_device["phone-b"]["labels"] == ["triage:confirmed"]
    event = case_event(store, "c")["Event"]
    (attribute,) = event["Attribute"]
    assert sorted((s["source"], s["type"]) for s in attribute["Sighting"]) == [
        ("spyscan device phone-a (" + a1.person + ")", "1"), ("spyscan device phone-b (" + b1.person + ")", "0")]
    assert "benign" in attribute["comment"] and "confirmed" in attribute["comment"]
    text = json.dumps(bundle) + json.dumps(event)
    assert "secret note" not in text and "Luis" not in text  # notes and names stay in the store
