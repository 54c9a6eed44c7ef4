"""Hostile SQLite corpus (issue 17): databases crafted against the verifier end within their budget.

Every SQLite artifact meets each class in the tables it reads (found by asking it: ``asked_tables``):
a view over an endless recursive query, an fts5 virtual table whose content is that view, a trigger
where a table is expected. Then one case per remaining class: a virtual generated column of 200 MB
per row, a table too large for a lowered statement budget, too many statements on one connection, a
schema of too many entries, two tables whose names differ in case, page-size and reserved-bytes
tricks, a sort spilling past its temporary-file budget, a stop request (interrupt, time budget), SIGTERM while
a statement runs in SQLite's C code. Each case checks the status, a one-line message, the time, and
(where it could grow) the memory of the process.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from spyscan.artifacts.base import ArtifactLog, all_artifacts
from spyscan.detection.heuristics.base import all_rules
from spyscan.detection.pipeline import NullMatcher
from spyscan.engine import jobs
from spyscan.errors import BudgetExceeded
from spyscan.evidence import sqlite_guard, stop
from spyscan.evidence.base import Evidence
from spyscan.evidence.custody import InputLog
from spyscan.evidence.sqlite import DamagedDatabase, PrivateConnection, open_private_copy, schema_notes
from spyscan.evidence.sqlite_guard import StopRequested
from spyscan.evidence.sqlite_schema import SchemaCensus, generated_note
from spyscan.kinds import all_kinds
from spyscan.report.runfile import ArtifactStatus

from . import hostile_sqlite as H
from .hostile import hostile_evidence
from .variants import VariantFiles

IOS_KINDS = ("ios-backup", "ios-fs")
CLASSES = {
    "recursive_view": (H.recursive_views, "is a view"),
    "virtual_table": (H.virtual_tables, "is a virtual table"),
    "trigger": (H.triggers, "is a trigger"),
}
TIME_LIMIT = 20.0  # seconds for any one artifact on any hostile database (they take well under one)
MEMORY_LIMIT = 300 << 20  # growth of the process's peak RSS over a whole test


class ServedDatabase(VariantFiles):
    """Serves one database for every SQLite file asked (other formats: a valid file of the wrong shape)."""

    def __init__(self, folder: Path, db: bytes) -> None:
        super().__init__(folder)
        self.db = db

    def data(self, variant: str, fmt: str) -> bytes:
        return self.db if fmt == "sqlite" else super().data("wrong_schema", fmt)


def _kind_class(artifact_id: str) -> type[Evidence]:
    kinds = all_kinds()
    kind = next(k for k in all_artifacts()[artifact_id].kinds if k in kinds)
    return kinds[kind]


def _evidence(artifact_id: str, db: bytes, root: Path) -> Evidence:
    return hostile_evidence(_kind_class(artifact_id), "hostile", ServedDatabase(root / "files", db), root)


def _run(artifact_id: str, evidence: Evidence, root: Path) -> ArtifactStatus:
    """One artifact through the engine's own job path (``engine.jobs.execute``: pipeline and statuses)."""
    records, parts = root / "records", root / "parts"
    records.mkdir(parents=True, exist_ok=True)
    parts.mkdir(exist_ok=True)
    state = jobs.Shared(matcher=NullMatcher(), rules=list(all_rules().values()), records_dir=records,
                        parts_dir=parts, evidences={"": evidence})
    with jobs.using(state):
        return jobs.execute(artifact_id, all_artifacts()[artifact_id].title, jobs.ARTIFACT).status


@contextlib.contextmanager
def _recording() -> Iterator[list[str]]:
    """Every table the census is asked about (``has_table``/``require_table``) while the block runs."""
    names: list[str] = []
    original = SchemaCensus.is_table

    def is_table(self: SchemaCensus, name: str) -> bool:
        if name != "unrelated":  # the served database's own table
            names.append(name)
        return original(self, name)

    SchemaCensus.is_table = is_table  # type: ignore[method-assign]
    try:
        yield names
    finally:
        SchemaCensus.is_table = original  # type: ignore[method-assign]


def _sqlite_artifacts() -> list[str]:
    return sorted(a for a, cls in all_artifacts().items() if any(k in IOS_KINDS for k in cls.kinds))


@pytest.fixture(scope="module")
def asked_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """For each iOS artifact that opens a database: the tables it asks for (two rounds, so that tables
    asked only once the main one exists are found too). Artifacts that open none are left out."""
    found: dict[str, list[str]] = {}
    root = tmp_path_factory.mktemp("asked")
    for n, artifact_id in enumerate(_sqlite_artifacts()):
        names: list[str] = []
        opened = False
        for round_ in range(3):
            with _recording() as asked:
                evidence = _evidence(artifact_id, H.plain(names), root / f"{n}-{round_}")
                status = _run(artifact_id, evidence, root / f"{n}-{round_}")
            asked += re.findall(r"no such table: (\w+)", status.error or "")  # read without asking first
            served: dict[Path, str] = getattr(evidence, "served", {})
            opened = opened or any(path.read_bytes()[:15] == b"SQLite format 3" for path in served)
            new = [a for a in dict.fromkeys(asked) if a not in names and not a.lower().startswith("sqlite_")]
            if not new:
                break
            names += new
        if opened:
            found[artifact_id] = names
    assert len(found) >= 15, sorted(found)  # every iOS database artifact: sms, safari, whatsapp, tcc...
    return found


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@pytest.mark.parametrize("attack", sorted(CLASSES))
def test_every_sqlite_artifact_reads_only_real_tables(attack: str, asked_tables: dict[str, list[str]],
                                                      tmp_path: Path) -> None:
    builder, phrase = CLASSES[attack]
    peak = _peak_rss()
    problems: list[str] = []
    for n, (artifact_id, names) in enumerate(sorted(asked_tables.items())):
        evidence = _evidence(artifact_id, builder(names or ["data"]), tmp_path / str(n))
        started = time.monotonic()
        status = _run(artifact_id, evidence, tmp_path / str(n))
        took = time.monotonic() - started
        where = f"{artifact_id} × {attack} {names}"
        messages = [*status.warnings, *([status.error] if status.error else [])]
        if took > TIME_LIMIT:
            problems.append(f"{where}: took {took:.1f} s")
        if any("\n" in m for m in messages):
            problems.append(f"{where}: a message is not one line: {messages}")
        refused = status.status == "error" and (status.error or "").startswith("not fully read: ")
        if status.status == "error" and not refused:
            problems.append(f"{where}: error {status.error}")
        elif names and not (refused and any(phrase in w for w in status.warnings)):
            # a planted view, virtual table or trigger is warned about, never followed, and the artifact is
            # not taken as fully read (the check is incomplete): never silenced
            problems.append(f"{where}: expected 'not fully read' and a warning saying '{phrase}', "
                            f"got {status.status} {messages}")
    assert not problems, "\n".join(problems)
    assert _peak_rss() - peak < MEMORY_LIMIT


def test_the_issue_backup_ends_at_once_and_writes_nothing_outside(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's backup: ``sms.db`` defines ``message`` as a view over an endless recursive query."""
    from spyscan.engine import IndicatorOptions, RunOptions, check
    from tests.builders.ios_backup import BackupBuilder

    builder = BackupBuilder(tmp_path / "backup")
    builder.add_sqlite("HomeDomain", "Library/SMS/sms.db", [
        "CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT)", f"CREATE VIEW message AS {H.ENDLESS}"])
    backup = builder.build()
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))  # where the engine makes its work folder
    out = tmp_path / "out"
    started = time.monotonic()
    result = check(backup, None, RunOptions(output=out, indicators=IndicatorOptions(bundled=False), jobs=1))
    assert time.monotonic() - started < 30
    sms = result.run.artifacts["ios.sms"]
    assert sms.warnings == ["HomeDomain/Library/SMS/sms.db: message is a view, not a table as the artifact "
                            "expects; not read (possibly a crafted database)"]
    # the planted view never silences the check: the messages were not read, so the check is incomplete
    assert sms.status == "error" and "not fully read" in (sms.error or "")
    assert result.exit_code == 4 and result.run.verdict is not None
    assert result.run.verdict.state == "incomplete"
    assert any(r.artifact == "ios.sms" for r in result.run.verdict.reasons)
    assert list(system_tmp.iterdir()) == []  # the work folder (and SQLite's temporary folder in it) is gone
    folder = sqlite_guard.temp_folder(existing=False)  # SQLite's temporary files went into the work folder
    assert folder is not None and Path(folder).parent.parent == system_tmp.resolve()


def _sms(db: bytes, root: Path) -> tuple[list[object], BaseException | None, ArtifactLog]:
    """Run ``ios.sms`` on ``db`` directly (no engine): the records before a stop, the exception, the log."""
    evidence = _evidence("ios.sms", db, root)
    log = ArtifactLog()
    records: list[object] = []
    try:
        for record in all_artifacts()["ios.sms"]().collect(evidence, log):
            records.append(record)
    except BaseException as exc:
        return records, exc, log
    return records, None, log


def test_a_virtual_generated_column_is_read_as_empty_never_computed(tmp_path: Path) -> None:
    peak = _peak_rss()
    started = time.monotonic()
    records, exc, log = _sms(H.generated_sms(rows=200), tmp_path)
    assert exc is None and time.monotonic() - started < TIME_LIMIT
    assert len(records) == 200 and all(getattr(r, "text", "x") is None for r in records)
    assert ("HomeDomain/Library/SMS/sms.db: column message.text is computed by an expression (a generated "
            "column), not stored as the app writes it; read as empty (possibly a crafted database)") in log.warnings
    assert _peak_rss() - peak < MEMORY_LIMIT  # 200 MB per row, had it been computed once


def test_a_generated_column_read_by_name_is_null_and_noted(tmp_path: Path) -> None:
    """SQL naming the column (not asking ``table_columns`` first) gets NULL from the authorizer, never 200 MB."""
    conn = _private(H.generated_sms(rows=50), tmp_path)
    try:
        started = time.monotonic()
        assert {row[0] for row in conn.execute("SELECT text FROM message")} == {None}
        assert time.monotonic() - started < 2
        assert schema_notes(conn) == [generated_note("evidence.db", "message", "text")]
    finally:
        conn.close()


def test_a_statement_past_its_budget_stops_and_keeps_the_records_read(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    db = H.sms_rows(50_000)  # opening it (quick_check) takes about 5 steps a row, reading it about 25
    monkeypatch.setenv("SPYSCAN_SQLITE_MIN_STEPS", "600000")
    monkeypatch.setenv("SPYSCAN_SQLITE_STEPS_PER_BYTE", "0.001")
    records, exc, _ = _sms(db, tmp_path / "low")
    assert isinstance(exc, BudgetExceeded) and exc.status == "timeout"
    assert "a query ran past its budget of 600,000 SQLite steps" in str(exc) and "\n" not in str(exc)
    assert 0 < len(records) < 50_000
    monkeypatch.delenv("SPYSCAN_SQLITE_MIN_STEPS")
    monkeypatch.delenv("SPYSCAN_SQLITE_STEPS_PER_BYTE")
    records, exc, _ = _sms(db, tmp_path / "default")  # the default budget reads the whole table
    assert exc is None and len(records) == 50_000
    # through the engine, the records read before the stop are kept in the records file
    monkeypatch.setenv("SPYSCAN_SQLITE_MIN_STEPS", "600000")
    monkeypatch.setenv("SPYSCAN_SQLITE_STEPS_PER_BYTE", "0.001")
    status = _run("ios.sms", _evidence("ios.sms", db, tmp_path / "engine"), tmp_path / "engine")
    assert status.status in ("timeout", "error") and "budget" in (status.error or "")
    assert 0 < status.records < 50_000


def _private(db: bytes, root: Path, name: str = "evidence.db") -> PrivateConnection:
    root.mkdir(parents=True, exist_ok=True)
    source = root / name
    source.write_bytes(db)
    return open_private_copy(source, root / "work", InputLog(), name)


def test_all_statements_of_a_connection_share_a_joint_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPYSCAN_SQLITE_MIN_STEPS", "200000")
    monkeypatch.setenv("SPYSCAN_SQLITE_STEPS_PER_BYTE", "0.001")
    conn = _private(H.sms_rows(20_000), tmp_path)
    try:
        with pytest.raises(BudgetExceeded, match="joint budget of 800,000 SQLite steps") as caught:
            for _ in range(1000):  # each scan is within the statement budget, together they are not
                conn.execute("SELECT count(text) FROM message").fetchall()
        assert caught.value.status == "timeout"
    finally:
        conn.close()


def test_a_schema_of_too_many_entries_is_refused_while_loading(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = H.huge_schema(8_000)
    conn = _private(db, tmp_path / "default")  # real databases have at most a few thousand entries
    assert conn.census is not None and conn.census.entries == 8_001
    conn.close()
    monkeypatch.setenv("SPYSCAN_SQLITE_SCHEMA_STEPS", "20000")
    started = time.monotonic()
    with pytest.raises(BudgetExceeded, match="its schema lists too many objects") as caught:
        _private(db, tmp_path / "low")
    assert caught.value.status == "truncated" and time.monotonic() - started < 5
    _, exc, _ = _sms(db, tmp_path / "sms")
    assert isinstance(exc, BudgetExceeded) and "schema" in str(exc) and "\n" not in str(exc)


@pytest.mark.parametrize(("case", "expected"), [
    ("duplicate_case", "malformed database schema (MESSAGE) - table MESSAGE already exists"),
    ("page_size", "is not a SQLite database"),
])
def test_schema_and_header_oddities_end_as_one_line_errors(case: str, expected: str, tmp_path: Path) -> None:
    db = H.duplicate_case() if case == "duplicate_case" else H.page_size_trick(H.sms_rows(50))
    with pytest.raises(DamagedDatabase) as caught:
        _private(db, tmp_path / "direct")
    assert expected in str(caught.value) and "\n" not in str(caught.value)
    status = _run("ios.sms", _evidence("ios.sms", db, tmp_path / "engine"), tmp_path / "engine")
    assert status.status == "error" and "sms.db" in (status.error or "") and expected in (status.error or "")


def test_reserved_bytes_that_shift_every_cell_end_as_recovered_rows(tmp_path: Path) -> None:
    """A header reserving 255 bytes per page: SQLite reads every cell off its place (damage), the rows it
    can still reach are salvaged, and the artifact says so in one line."""
    status = _run("ios.sms", _evidence("ios.sms", H.reserved_bytes_trick(H.sms_rows(50)), tmp_path), tmp_path)
    assert status.status == "recovered"
    assert all("\n" not in w for w in status.warnings)
    assert any(w.startswith("HomeDomain/Library/SMS/sms.db is damaged") for w in status.warnings)


def _temp_files() -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            link = os.readlink(f"/proc/self/fd/{fd}")
            if "etilqs_" in link:
                found.append(link)
    return found


def _spill_db(rows: int) -> bytes:
    return H.build(lambda conn: (conn.execute("CREATE TABLE t (v TEXT)"), conn.execute(
        "INSERT INTO t WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r LIMIT ?) "
        "SELECT hex(randomblob(100)) FROM r", (rows,))))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads SQLite's open temporary files from /proc")
def test_sqlite_temporary_files_go_to_the_work_folder_and_count_against_a_budget(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work-root"
    sqlite_guard.use_temp_folder(work)
    conn = _private(_spill_db(60_000), tmp_path / "a")
    try:
        cursor = conn.execute("SELECT v FROM t ORDER BY v || v")  # sorted by SQLite's sorter: spills
        cursor.fetchone()
        spilled = _temp_files()
        assert spilled, "the sort did not spill (nothing to check)"
        private = str((work / "sqlite-tmp").resolve()) + "/"
        assert all(link.startswith(private) for link in spilled), spilled
        cursor.close()
    finally:
        conn.close()
    monkeypatch.setenv("SPYSCAN_SQLITE_MIN_TEMP_BYTES", "1")
    monkeypatch.setenv("SPYSCAN_SQLITE_TEMP_PER_BYTE", "0.25")
    conn = _private(_spill_db(60_000), tmp_path / "b")
    try:
        with pytest.raises(BudgetExceeded, match="SQLite's temporary files passed their budget") as caught:
            conn.execute("SELECT v FROM t ORDER BY v || v || v || v").fetchall()
        assert caught.value.status == "truncated" and "\n" not in str(caught.value)
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (60_000,)  # the next statement runs
    finally:
        conn.close()


def _cross_join(tmp_path: Path) -> PrivateConnection:
    return _private(H.sms_rows(3_000), tmp_path)


@pytest.mark.parametrize(("reason", "status", "why"), [
    ("interrupted", "interrupted", "the check is being interrupted"),
    ("timeout", "timeout", "the artifact's time budget ran out"),
])
def test_a_stop_request_ends_a_running_statement_promptly(reason: str, status: str, why: str,
                                                          tmp_path: Path) -> None:
    conn = _cross_join(tmp_path)
    timer = threading.Timer(0.3, stop.request, (reason,))
    started = time.monotonic()
    try:
        timer.start()
        with pytest.raises(StopRequested) as caught:
            conn.execute("SELECT count(*) FROM message a, message b, message c").fetchall()
        assert time.monotonic() - started < 3
        assert str(caught.value) == f"evidence.db: reading stopped because {why}; the records read before are kept"
        assert caught.value.status == status
        with pytest.raises(StopRequested):  # and refuses the next one until the request is reset
            conn.execute("SELECT count(*) FROM message").fetchall()
    finally:
        timer.cancel()
        stop.reset()
    assert conn.execute("SELECT count(*) FROM message").fetchone() == (3_000,)
    conn.close()


def test_closed_connections_leave_the_stop_registry(tmp_path: Path) -> None:
    conn = _private(H.sms_rows(10), tmp_path)
    key = id(conn)
    assert key in stop._interrupters
    conn.close()
    assert key not in stop._interrupters


def test_connections_dropped_without_close_leave_the_stop_registry(tmp_path: Path) -> None:
    """(Keyed by the connection's id: a stale entry of a dropped connection was taken over by a new connection
    that got the same id, and closing that one left the registry one short: a flaky count.)"""
    import gc

    conn = _private(H.sms_rows(10), tmp_path)
    key = id(conn)
    assert key in stop._interrupters
    del conn
    gc.collect()
    assert key not in stop._interrupters


_SIGTERM_CHILD = """
import signal, sys, time
from pathlib import Path
from spyscan.evidence import stop
from spyscan.evidence.custody import InputLog
from spyscan.evidence.sqlite import open_private_copy
from spyscan.evidence.sqlite_guard import StopRequested
signal.signal(signal.SIGTERM, lambda signum, frame: stop.request("interrupted"))  # as the engine's job does
conn = open_private_copy(Path(sys.argv[1]), Path(sys.argv[2]), InputLog(), "evidence.db")
print("ready", flush=True)
try:
    conn.execute("SELECT count(*) FROM message a, message b, message c").fetchall()
except StopRequested as exc:
    print(exc, flush=True)
    sys.exit(0)
sys.exit(5)
"""


def test_sigterm_stops_a_statement_inside_sqlite(tmp_path: Path) -> None:
    """The signal lands while the worker is in SQLite's C code: the progress handler runs the Python
    signal handler, which asks for the stop; the statement ends within a second."""
    source = tmp_path / "evidence.db"
    source.write_bytes(H.sms_rows(3_000))
    child = subprocess.Popen([sys.executable, "-c", _SIGTERM_CHILD, str(source), str(tmp_path / "work")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.5)
        sent = time.monotonic()
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=10)
        assert time.monotonic() - sent < 3
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert out.strip() == ("evidence.db: reading stopped because the check is being interrupted; the records "
                           "read before are kept")


def test_guarded_cursors_cost_little(tmp_path: Path) -> None:
    """The per-row price of the guard (its cursor and progress handler) stays small: a plain connection
    and a private one read the same 200,000 rows; the private one may not take three times as long."""
    db = H.sms_rows(200_000)
    conn = _private(db, tmp_path)
    plain = sqlite3.connect(str(tmp_path / "evidence.db"))
    try:
        def read(c: sqlite3.Connection) -> float:
            started = time.perf_counter()
            for _row in c.execute("SELECT ROWID, guid, text, date FROM message"):
                pass
            return time.perf_counter() - started

        plain_time = min(read(plain) for _ in range(3))
        guarded_time = min(read(conn) for _ in range(3))
    finally:
        conn.close()
        plain.close()
    assert guarded_time < 3 * plain_time + 0.05


def test_a_backup_whose_index_is_a_view_is_refused_in_one_line(tmp_path: Path) -> None:
    """Manifest.db's ``Files`` is how a backup is listed: a view there refuses the input (exit 1)."""
    from spyscan.engine import IndicatorOptions, RunOptions, check
    from spyscan.errors import SpyscanError
    from tests.builders.ios_backup import BackupBuilder

    backup = BackupBuilder(tmp_path / "backup").build()
    (backup / "Manifest.db").write_bytes(H.build([f"CREATE VIEW Files AS {H.ENDLESS}"]))
    started = time.monotonic()
    with pytest.raises(SpyscanError) as caught:
        check(backup, None, RunOptions(output=tmp_path / "out", indicators=IndicatorOptions(bundled=False), jobs=1))
    assert time.monotonic() - started < 30 and caught.value.exit_code == 1
    assert str(caught.value) == ("the backup cannot be listed: Manifest.db: Files is a view, not a table as the "
                                 "artifact expects; not read (possibly a crafted database)")
