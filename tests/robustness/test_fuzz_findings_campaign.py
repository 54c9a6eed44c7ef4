"""Inputs found by the long fuzzing campaign (fuzz/campaign.sh), kept as regression tests."""

from __future__ import annotations

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
