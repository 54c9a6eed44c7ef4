from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spyscan.records.base import Record, SourceRef
from spyscan.timeline.rows import (
    TimelineRow,
    csv_cell,
    guard_cell,
    guarded_cell,
    keyed_line,
    keyed_record_lines,
    merge_parts,
    record_lines,
    render_lines,
    rows_for,
    stamp_key,
    write_csv_lines,
    write_sorted_lines,
)
from spyscan.visible import INVISIBLE


def test_formula_cells_are_neutralised() -> None:
    for hostile in ("=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "＝1"):
        assert guard_cell(hostile).startswith("'")
    assert guard_cell("\tcmd") == "\\tcmd" and guard_cell("\rcmd") == "\\rcmd"  # escaped: no longer a tab or CR
    assert guard_cell("plain text") == "plain text"
    assert guard_cell("") == ""


@pytest.mark.parametrize(("hostile", "shown"), [
    ("invoice\u202egpj.exe", "invoice\\u202egpj.exe"), ("a\u2066b\u2069c", "a\\u2066b\\u2069c"),
    ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"), ("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"),
    ("tag\U000e0041", "tag\\U000e0041"), ("nul\x00del\x7fnel\x85", "nul\\x00del\\x7fnel\\x85"),
    ("two\nlines\r\n", "two\\nlines\\r\\n"), ("=\u202e1+1", "'=\\u202e1+1"),
    ("línea ñ 😀 \u00a0 \u3000 ok", "línea ñ 😀 \u00a0 \u3000 ok"),  # printable or plain spaces: as they are
])
def test_invisible_and_control_characters_are_shown_as_escapes(hostile: str, shown: str) -> None:
    assert guard_cell(hostile) == shown
    assert guarded_cell(hostile) == csv_cell(shown)


def _row(ts: str, summary: str) -> TimelineRow:
    return TimelineRow(timestamp=ts, artifact="a", event="e", record_type="t", summary=summary, source="s")


def test_parts_merge_sorted(tmp_path: Path) -> None:
    p1, p2 = tmp_path / "1.part", tmp_path / "2.part"
    write_sorted_lines(render_lines([_row("2024-01-03T00:00:00Z", "c"), _row("2024-01-01T00:00:00Z", "a")]), p1)
    write_sorted_lines(render_lines([_row("2024-01-02T00:00:00Z", "=b")]), p2)
    out = tmp_path / "timeline.csv"
    assert write_csv_lines(merge_parts([p1, p2]), out) == 3
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "timestamp_utc"
    assert [r[0] for r in rows[1:]] == ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"]
    assert rows[2][4] == "'=b"


def test_cells_with_commas_quotes_and_newlines_survive_the_parts(tmp_path: Path) -> None:
    awkward = 'a, "quoted"\nsecond line'  # the line break is written as "\n": one row, one line
    part = tmp_path / "1.part"
    rows = [_row(f"2024-01-01T00:00:{i % 60:02d}Z", awkward if i % 2 else f"plain {i}") for i in range(5000)]
    write_sorted_lines(render_lines(rows), part)  # several frames
    out = tmp_path / "timeline.csv"
    assert write_csv_lines(merge_parts([part]), out) == 5000
    with out.open(newline="", encoding="utf-8") as fh:
        read = list(csv.reader(fh))[1:]
    assert len(read) == 5000
    assert [r[0] for r in read] == sorted(r[0] for r in read)
    assert sum(r[4] == awkward.replace("\n", "\\n") for r in read) == 2500
    assert out.read_bytes().count(b"\r\n") == 5001


TEXT = st.text(st.sampled_from(['a', ' ', ',', '"', "'", '\r', '\n', '=', '+', '-', '@', '\t', 'é', '\x00', '；',
                                '\u202e', '\u2066', '\u200f', '\x85', '\u2028', '\U000e0041', '\\', '\u00a0']),
               max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, min_size=6, max_size=6))
def test_cells_are_quoted_as_the_csv_module_does(cells: list[str]) -> None:
    sink = io.StringIO()
    csv.writer(sink).writerow(cells)
    assert ",".join(csv_cell(c) for c in cells) + "\r\n" == sink.getvalue()


class _Event(Record, frozen=True, tag="test.timeline.event"):
    text: str
    place: str | None = None
    seen: datetime | None = None
    gone: datetime | None = None

    TIMESTAMPS = (("seen", "seen"), ("gone", "gone"))


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT, TEXT, st.booleans(), st.booleans(), st.integers(0, 2), st.sampled_from((0, 500, 999_999)),
       st.sampled_from((0, 2, -5)))
def test_record_lines_equal_the_rendered_rows(artifact: str, text: str, file: str, seen: bool, gone: bool,
                                               later: int, micro: int, offset: int) -> None:
    zone = UTC if offset == 0 else timezone(timedelta(hours=offset))  # records carry UTC; others are converted
    when = datetime(2024, 5, 20, 7, 0, 1, micro, tzinfo=zone)
    record = _Event(source=SourceRef(file=file or "f", table="t", rowid=1), text=text, place=text,
                    seen=when if seen else None, gone=when + timedelta(seconds=later) if gone else None)
    assert record_lines(artifact, record) == render_lines(rows_for(artifact, record))
    assert len(record_lines(artifact, record)) == seen + gone
    assert keyed_record_lines(artifact, record) == [keyed_line(line) for line in record_lines(artifact, record)]
    for line in record_lines(artifact, record):  # one line per row, nothing invisible in it
        assert line.endswith("\r\n") and INVISIBLE.search(line[:-2]) is None


def test_rows_within_one_second_are_in_time_order(tmp_path: Path) -> None:
    """A stamp without microseconds is the start of its second: it comes before ``.5`` of that second,
    although as text ``05Z`` sorts after ``05.5Z``."""
    stamps = ["2024-01-01T00:00:05.500000Z", "2024-01-01T00:00:05Z", "2024-01-01T00:00:04.999999Z",
              "2024-01-01T00:00:05.000001Z", "2024-01-01T00:00:06Z"]
    p1, p2 = tmp_path / "1.part", tmp_path / "2.part"
    write_sorted_lines(render_lines([_row(s, "x") for s in stamps[:3]]), p1)
    write_sorted_lines(render_lines([_row(s, "y") for s in stamps[3:]]), p2)
    out = tmp_path / "timeline.csv"
    write_csv_lines(merge_parts([p1, p2]), out)
    with out.open(newline="", encoding="utf-8") as fh:
        read = [r[0] for r in list(csv.reader(fh))[1:]]
    expected = sorted(stamps, key=lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")))
    assert read == expected
    assert stamp_key("2024-01-01T00:00:05Z") < stamp_key("2024-01-01T00:00:05.000001Z")
    assert len({len(stamp_key(s)) for s in [*stamps, "not a time", ""]}) == 1


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(['a', ',', '"', "'", '\r', '\n', '=', '+', '-', '@', '\t', '＝', '＋', '－', '＠', '；',
                                'é', '\u202e', '\x00', '\u2029']), max_size=8))
def test_guarded_cell_is_the_guard_then_the_quoting(value: str) -> None:
    assert guarded_cell(value) == csv_cell(guard_cell(value))


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3)), max_size=40), min_size=1, max_size=6),
       frame=st.integers(1, 5))
def test_batched_merge_gives_every_line_in_order(parts: list[list[tuple[int, int]]], frame: int) -> None:
    """Parts of many small frames, with equal and interleaved stamps: the batches hold each part's lines
    once, in order, and together the sorted union of all parts (what a line-by-line heap merge gives)."""
    import tempfile

    from spyscan.timeline import rows as timeline_rows

    original = timeline_rows._FRAME
    timeline_rows._FRAME = frame
    try:
        with tempfile.TemporaryDirectory() as folder:
            paths, expected = [], []
            for n, items in enumerate(parts):
                lines = render_lines([_row(f"2024-01-01T00:00:{second:02d}Z", f"s{variant}") for second, variant
                                      in items])
                path = Path(folder) / f"{n}.part"
                write_sorted_lines(lines, path)
                paths.append(path)
                expected.append(sorted(timeline_rows.keyed_line(line) for line in lines))
            batches = list(timeline_rows.merge_batches(paths))
            merged = [line for batch in batches for line in batch.lines]
            assert merged == sorted(line for lines in expected for line in lines)
            for n, lines in enumerate(expected):
                assert [line for batch in batches for index, piece in batch.slices if index == n
                        for line in piece] == lines
            for batch in batches:
                assert sorted(line for _, piece in batch.slices for line in piece) == batch.lines
            out = Path(folder) / "timeline.csv"
            assert timeline_rows.write_merged([("a", p) for p in paths], out) == len(merged)
            with out.open(encoding="utf-8", newline="") as fh:
                written = fh.read().splitlines(keepends=True)[1:]
            assert written == [line[timeline_rows.KEY_WIDTH:] for line in merged]
    finally:
        timeline_rows._FRAME = original


@given(st.text(), st.none() | st.text(), st.none() | st.integers(), st.none() | st.integers(), st.none() | st.text())
def test_source_description_names_each_part_that_is_set(file: str, table: str | None, rowid: int | None,
                                                        line: int | None, key: str | None) -> None:
    source = SourceRef(file=file, table=table, rowid=rowid, line=line, key=key)
    named = [file, *(f"{label} {value}" for label, value in
                      (("table", table), ("row", rowid), ("line", line), ("key", key)) if value is not None)]
    assert source.describe() == ", ".join(named)


def test_a_spool_takes_the_rows_of_its_own_job_only(tmp_path: Path) -> None:
    """The merge counts every line of a job's parts in that job's lane of the report's chart."""
    from spyscan.timeline.rows import TimelineSpool

    spool = TimelineSpool(tmp_path, "ios.sms")
    record = _Event(source=SourceRef(file="f"), text="t", seen=datetime(2024, 1, 1, tzinfo=UTC))
    spool.add("ios.sms", record)
    with pytest.raises(ValueError, match=r"ios\.safari_history"):
        spool.add("ios.safari_history", record)
    assert spool.count == 1
