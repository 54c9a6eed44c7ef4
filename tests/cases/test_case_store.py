"""The case store: registration by reference, append-only records, permissions, schema versions."""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from spyscan.cases.migrations import MIGRATIONS
from spyscan.cases.store import CaseStore, check_run_folder
from spyscan.errors import UsageError


def test_register_runs_of_several_devices(store_path: Path, make_run: Callable[[str], Path]) -> None:
    store = CaseStore(store_path)
    store.new_case("helpline-7")
    a1 = store.add_run("helpline-7", make_run("a1"), device="phone-a", acquired="2025-02-01")
    a2 = store.add_run("helpline-7", make_run("a2"), device="phone-a")
    b1 = store.add_run("helpline-7", make_run("b1"), device="phone-b", person="P-custom")
    assert a1.person == a2.person != b1.person  # one pseudonymous person id per device in a case
    assert b1.person == "P-custom"
    assert a1.acquired == "2025-02-01" and a2.acquired  # default: date the check started
    run_json = Path(a1.output) / "run.json"
    import hashlib

    assert a1.run_sha256 == hashlib.sha256(run_json.read_bytes()).hexdigest()
    assert Path(a1.output).is_absolute()
    assert a1.inputs and all(len(i["sha256"]) == 64 for i in a1.inputs)
    assert a1.indicators and a1.indicators[0]["file"].endswith("first.stix2")
    original = json.loads((Path(a1.output) / "detections.json").read_text())["detections"]
    assert a1.detections == len(original) and a1.hunted_detections == 0
    assert store.known_ids(a1.id) == {d["id"] for d in original}
    assert [d.indicator.value for d in store.detections(a1.id) if d.indicator] == ["com.serv.services"]
    info = store.case("helpline-7")
    assert (info.runs, info.devices) == (3, 2)
    stored = store.detections(a1.id)[0]
    assert original[0]["record"].keys() > {"record_type", "source"}
    assert set(stored.record) == {"record_type", "source"}  # no record content copied into the store


def test_store_and_folder_are_owner_only(store_path: Path) -> None:
    CaseStore(store_path).close()
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store_path.parent.stat().st_mode) == 0o700


def test_stored_records_are_never_altered(store_path: Path, make_run: Callable[[str], Path]) -> None:
    store = CaseStore(store_path)
    store.new_case("c")
    store.add_run("c", make_run("r"), device="d")
    for statement in ("UPDATE runs SET device = 'x'", "DELETE FROM runs", "UPDATE detections SET severity = 'info'",
                      "DELETE FROM detections"):
        with pytest.raises(sqlite3.DatabaseError, match="never"):
            store.db.execute(statement)
    assert store.runs("c")[0].device == "d"


def test_errors_are_clear(store_path: Path, make_run: Callable[[str], Path], tmp_path: Path) -> None:
    store = CaseStore(store_path)
    store.new_case("c")
    with pytest.raises(UsageError, match="already exists"):
        store.new_case("c")
    with pytest.raises(UsageError, match="no case named"):
        store.add_run("nope", make_run("x"))
    with pytest.raises(UsageError, match="not a spyscan output folder"):
        store.add_run("c", tmp_path)
    out = make_run("y")
    store.add_run("c", out, device="d")
    with pytest.raises(UsageError, match="already registered"):
        store.add_run("c", out, device="d")


def test_schema_version_and_newer_store_refused(store_path: Path) -> None:
    store = CaseStore(store_path)
    assert store.schema_version == len(MIGRATIONS)
    store.db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    store.close()
    with pytest.raises(UsageError, match="newer spyscan"):
        CaseStore(store_path)


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(UsageError, match="not a usable spyscan case store"):
        CaseStore(path)


def test_check_run_folder(make_run: Callable[[str], Path], tmp_path: Path) -> None:
    out = make_run("z")
    import hashlib

    digest = hashlib.sha256((out / "run.json").read_bytes()).hexdigest()
    assert check_run_folder(str(out), digest).status == "ok"
    assert check_run_folder(str(out), "0" * 64).status == "changed"
    assert check_run_folder(str(tmp_path / "gone"), digest).status == "missing"
