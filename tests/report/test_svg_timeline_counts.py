"""The report's timeline chart: counts made while the check writes timeline.csv equal a re-read of the file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from spyscan.report.svg_timeline import Chart, EventBinner, Marker, collect
from spyscan.timeline.rows import TimelineRow, render_lines, write_merged, write_sorted_lines

BASE = datetime(2024, 5, 20, 7, 0, tzinfo=UTC)


def _rows() -> list[TimelineRow]:
    rows = []
    for i in range(3000):
        when = BASE + timedelta(seconds=7 * i, microseconds=(i % 3) * 250_000)
        stamp = when.isoformat().replace("+00:00", "Z")
        artifact = ("ios.sms", "ios.safari_history", "ios.x@androidqf:a, b.zip", "=cmd")[i % 4]
        summary = ('text with, comma and "quotes"\nand a newline', "plain", "-1+1")[i % 3]
        rows.append(TimelineRow(timestamp=stamp, artifact=artifact, event="seen", record_type="t", summary=summary,
                                source="db, table"))
    return rows


def _write_parts(tmp_path: Path, rows: list[TimelineRow], binner: EventBinner | None, per_artifact: int = 2) -> Path:
    """Parts as the engine's jobs write them (each holds one artifact's rows), merged into timeline.csv."""
    parts = []
    for artifact in dict.fromkeys(row.artifact for row in rows):
        mine = [row for row in rows if row.artifact == artifact]
        for n in range(per_artifact):  # a job spills several sorted parts
            part = tmp_path / f"{len(parts)}.part"
            write_sorted_lines(render_lines(mine[n::per_artifact]), part)
            parts.append((artifact, part))
    path = tmp_path / "timeline.csv"
    write_merged(parts, path, binner)
    return path


def _write(tmp_path: Path, binner: EventBinner | None) -> Path:
    return _write_parts(tmp_path, _rows(), binner)


def _markers(*offsets: int) -> list[Marker]:
    return [Marker(BASE + timedelta(seconds=s), "ios.sms", "high", "label", f"d{s}") for s in offsets]


def _same(a: Chart | None, b: Chart | None) -> None:
    assert a is not None and b is not None
    assert (a.start, a.end, a.counts, a.events_in_window, a.events_total, a.whole_range) == (
        b.start, b.end, b.counts, b.events_in_window, b.events_total, b.whole_range)
    assert [(n.marker, n.events, n.more) for n in a.nearby] == [(n.marker, n.events, n.more) for n in b.nearby]


def test_counts_made_while_writing_equal_a_reread_of_the_file(tmp_path: Path) -> None:
    markers = _markers(3600, 9000, 20000)
    binner = EventBinner.for_markers([m.when for m in markers])
    assert binner is not None
    path = _write(tmp_path, binner)
    counted = binner.result()
    assert counted.total == 3000
    assert any(artifact == "ios.x@androidqf:a, b.zip" for artifact, _ in counted.counts)
    assert any(artifact == "=cmd" for artifact, _ in counted.counts)  # the CSV guard is undone
    from_file = collect(path, markers)
    _same(collect(path, markers, counted=counted), from_file)
    assert from_file is not None and from_file.nearby[0].events
    summaries = {e.summary for n in from_file.nearby for e in n.events}
    assert 'text with, comma and "quotes"\\nand a newline' in summaries  # the line break is shown as "\n"
    assert "-1+1" in summaries


@pytest.mark.parametrize("offsets", [(-39600,), (-39599,), (200000,), (-200000,), (21000 + 43200,)])
def test_rows_outside_the_window_are_counted_alike(tmp_path: Path, offsets: tuple[int, ...]) -> None:
    markers = _markers(*offsets)  # windows that cut the events, or miss them all
    binner = EventBinner.for_markers([m.when for m in markers])
    assert binner is not None
    path = _write(tmp_path, binner)
    counted = binner.result()
    assert counted.total == 3000
    _same(collect(path, markers, counted=counted), collect(path, markers))


def test_counts_for_other_detection_times_are_not_used(tmp_path: Path) -> None:
    binner = EventBinner.for_markers([BASE])
    assert binner is not None
    path = _write(tmp_path, binner)
    markers = _markers(15000)
    chart = collect(path, markers, counted=binner.result())
    _same(chart, collect(path, markers))
    assert chart is not None and chart.start == BASE + timedelta(seconds=15000) - timedelta(hours=12)


def test_without_timestamped_detections_the_chart_spans_every_event(tmp_path: Path) -> None:
    assert EventBinner.for_markers([]) is None
    path = _write(tmp_path, None)
    chart = collect(path, [])
    assert chart is not None and chart.whole_range
    assert chart.events_in_window == chart.events_total == 3000
    assert sum(chart.counts.values()) == 3000


@pytest.mark.parametrize("untimed", [False, True])
def test_without_detections_the_whole_range_is_counted_while_writing(tmp_path: Path, untimed: bool) -> None:
    """A clean phone (no timestamped detection): the range comes from the ends of the parts and the counts
    made while writing equal a re-read of the file (no second pass over a timeline of millions of rows)."""
    from spyscan.timeline.rows import parts_time_range

    rows = _rows()
    if untimed:  # rows without a readable time sort at both ends of their parts
        rows += [TimelineRow(timestamp=stamp, artifact="ios.sms", event="seen", record_type="t", summary="s",
                             source="x") for stamp in ("", "~", "not a time", "")]
    parts = []
    for n, artifact in enumerate(dict.fromkeys(row.artifact for row in rows)):
        part = tmp_path / f"{n}.part"
        write_sorted_lines(render_lines([row for row in rows if row.artifact == artifact]), part)
        parts.append((artifact, part))
    span = parts_time_range([part for _, part in parts])
    times = sorted(datetime.fromisoformat(r.timestamp) for r in rows if r.timestamp[:1].isdigit())
    assert span == (times[0], times[-1])
    binner = EventBinner.for_range(*span)
    path = tmp_path / "timeline.csv"
    write_merged(parts, path, binner)
    counted = binner.result()
    assert counted.total == 3000  # the rows without a readable time are no events of the chart
    chart = collect(path, [], counted=counted)
    _same(chart, collect(path, []))
    assert chart is not None and chart.whole_range and chart.events_in_window == 3000


def test_parts_without_any_time_give_no_range(tmp_path: Path) -> None:
    from spyscan.timeline.rows import parts_time_range

    part = tmp_path / "0.part"
    write_sorted_lines(render_lines([TimelineRow(timestamp="", artifact="a", event="e", record_type="t",
                                                 summary="s", source="x")]), part)
    assert parts_time_range([part]) is None and parts_time_range([]) is None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dense_rows_around_bin_edges_are_counted_alike(tmp_path: Path, seed: int) -> None:
    """Rows at random microseconds, many in each second, on every bin edge and within microseconds of
    it: counting the merged batches by their keys puts each row in the bin a re-read of the file does."""
    import random

    rng = random.Random(seed)
    markers = _markers(0, rng.randrange(1, 90_000))
    binner = EventBinner.for_markers([m.when for m in markers])
    assert binner is not None
    edges = [binner.start_s + i / binner.scale for i in range(0, 241)]
    instants = [rng.uniform(binner.start_s - 5000, binner.end_s + 5000) for _ in range(4000)]
    instants += [edge + rng.choice((-1, 1)) * rng.random() * 2 for edge in edges for _ in range(3)]
    instants += [edge + rng.choice((-1, 1)) * rng.random() * 1e-5 for edge in edges for _ in range(2)]
    rows = []
    for at in instants:
        when = datetime.fromtimestamp(at, UTC).replace(microsecond=rng.choice((0, rng.randrange(1_000_000))))
        stamp = when.isoformat().replace("+00:00", "Z")
        rows.append(TimelineRow(timestamp=stamp, artifact=("a", "b")[len(rows) % 2], event="e", record_type="t",
                                summary="s", source="x"))
    path = _write_parts(tmp_path, rows, binner, per_artifact=3)
    counted = binner.result()
    assert counted.total == len(rows)
    _same(collect(path, markers, counted=counted), collect(path, markers))
