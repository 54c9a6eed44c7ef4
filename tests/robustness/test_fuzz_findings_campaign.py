"""Inputs found by the long fuzzing campaign (fuzz/campaign.sh), kept as regression tests."""

from __future__ import annotations

import json
from pathlib import Path

from spyscan.evidence.sqlite import DamagedDatabase, open_checked

# a database on which SQLite's quick_check reports SQLITE_NOMEM (Python's MemoryError) at 22 MB of memory:
# fuzz target "sqlite", 2026-12-07 (header and first page of the crashing input, enough to reproduce)
FINDING = Path(__file__).with_name("data") / "sqlite-nomem.db"


def test_sqlite_out_of_memory_on_a_crafted_database_is_damage_not_a_crash(tmp_path: Path) -> None:
    copy = tmp_path / "input.db"
    copy.write_bytes(FINDING.read_bytes())
    try:
        conn = open_checked(copy, "input.db", tmp_path)
    except DamagedDatabase as exc:
        assert "\n" not in str(exc)
        return
    conn.close()  # salvaged: also acceptable, never a MemoryError


def test_packages_json_with_a_number_where_the_files_list_belongs_costs_that_field(tmp_path: Path) -> None:
    # fuzz target "androidqf_packages", 2026-12-07: {"files": 200} raised TypeError ('int' object is not
    # iterable) and the whole artifact failed, losing every other package (and its indicator matches)
    from spyscan import faults
    from tests.androidqf.helpers import collect, open_evidence
    from tests.builders.androidqf import build_androidqf, package

    root = build_androidqf(tmp_path / "acq", packages=[package("com.example.a"), package("com.apspy.app")])
    entries = json.loads((root / "packages.json").read_text(encoding="utf-8"))
    names = [e["name"] for e in entries]
    entries[names.index("com.example.a")]["files"] = 200
    (root / "packages.json").write_text(json.dumps(entries), encoding="utf-8")
    with faults.collecting() as noted:
        records, _ = collect(open_evidence(root, tmp_path / "work"), "android.androidqf.packages")
    read = {r.package: r for r in records}  # type: ignore[attr-defined]
    assert sorted(read) == sorted(names)  # every package kept
    assert read["com.example.a"].apk_paths == [] and read["com.apspy.app"].apk_paths
    assert noted.counts.get(faults.WRONG_TYPE) == 1


def test_a_list_field_of_the_wrong_type_costs_that_field() -> None:
    # same class, found by reading the code after that finding: a crash report's "processes", a backup
    # MMS's addresses and recipients are read through the same converter
    from spyscan import faults
    from spyscan.artifacts.ios.parsers.ips import parse_ips
    from spyscan.values import to_items

    with faults.collecting() as noted:
        assert to_items(7) == [] and to_items("abc") == [] and to_items(None) == []
        assert to_items([1, "a"]) == [1, "a"] and to_items((1,)) == [1]
        parsed = parse_ips('{"name": "x"}\n{"procName": "fservernetd", "processes": 5}')
    assert "fservernetd" in parsed.process_names
    assert noted.counts.get(faults.WRONG_TYPE) == 3
