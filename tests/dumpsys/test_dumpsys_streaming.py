"""Dumpsys sections are read from the file, line by line: same lines as a whole-file split, flat memory."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spyscan.evidence import android_dumpsys
from spyscan.evidence.android_dumpsys import iter_raw_lines, split_dumpsys_bytes, split_dumpsys_file
from spyscan.evidence.textio import decode_bytes, iter_lines
from spyscan.kinds.bugreport import BugreportEvidence

PIECES = [b"a", b"\xff", b"\x00", b"\r", b"\n", b"\r\n", b"xyzxyz", b"\xc3\xa9", b"DUMP OF SERVICE adb:\n",
          b"--------- 0.1s was the duration of dumpsys adb, ending at: x\n", b"----------\n", b"  \n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(1, 6), st.integers(1, 5))
def test_raw_lines_match_splitlines(pieces: list[bytes], limit: int, chunk: int) -> None:
    data = b"".join(pieces)
    saved = android_dumpsys._CHUNK
    android_dumpsys._CHUNK = chunk  # tiny reads: line breaks and long lines cut across reads
    try:
        raw = list(iter_raw_lines(io.BytesIO(data), limit=limit))
    finally:
        android_dumpsys._CHUNK = saved
    expected = list(iter_lines(data, limit))
    assert len(raw) == len(expected)
    for line, (_, text, bad), whole in zip(raw, expected, data.splitlines(), strict=True):
        assert data[line.start:line.end] == whole
        decoded = decode_bytes(line.head)
        assert (decoded.text, decoded.bad_bytes + decoded.nul_bytes + line.long) == (text, bad)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_file_and_bytes_splits_agree(tmp_path_factory: pytest.TempPathFactory, pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    path = tmp_path_factory.mktemp("split") / "dumpsys.txt"
    path.write_bytes(data)
    from_file = split_dumpsys_file(path, "dumpsys.txt")
    from_bytes = split_dumpsys_bytes(data, "dumpsys.txt")
    assert set(from_file) == set(from_bytes)
    for name, section in from_file.items():
        other = from_bytes[name]
        assert list(section.lines()) == list(other.lines())
        assert (section.first_line, section.bad_bytes, section.cut, section.blank) == (
            other.first_line, other.bad_bytes, other.cut, other.blank)
        assert section.size == len(section.text)


def test_longest_block_kept_and_text_read_lazily(tmp_path: Path) -> None:
    path = tmp_path / "dumpsys.txt"
    path.write_bytes(b"DUMP OF SERVICE package:\nshort\n"
                     b"DUMP OF SERVICE package:\nPackages:\n  Package [a.b]\n\n----------\n")
    section = split_dumpsys_file(path, "dumpsys.txt")["package"]
    assert section.first_line == 4 and section.text == "Packages:\n  Package [a.b]"
    assert section.contains("[a.b]") and not section.contains("short")
    path.write_bytes(b"DUMP OF SERVICE package:\nshort\n"
                     b"DUMP OF SERVICE package:\nPackages:\n  Package [c.d]\n\n----------\n")
    assert "[c.d]" in section.text  # the text lives in the file, not in the section


LINE = b"  Package [com.example.app%07d] (0123abcd): " + b"x" * 1500 + b"\n"
TARGET = 60_000_000
PEAK_LIMIT = 16 * 1024 * 1024


def _big_dumpstate(folder: Path) -> int:
    """A bugreport folder whose dumpstate holds a ~60 MB ``dumpsys package`` section; its line count."""
    folder.mkdir()
    count = 0
    with (folder / "dumpstate-2024.txt").open("wb") as fh:
        fh.write(b"== dumpstate\n------ SYSTEM PROPERTIES (getprop) ------\n[persist.sys.timezone]: [UTC]\n"
                 b"------ DUMPSYS (/system/bin/dumpsys) ------\nDUMP OF SERVICE package:\nPackages:\n")
        written = 0
        while written < TARGET:
            block = b"".join(LINE % (count + k) for k in range(500))
            fh.write(block)
            written += len(block)
            count += 500
        fh.write(b"--------- 0.2s was the duration of dumpsys package, ending at: 2024-01-01\n"
                 b"DUMP OF SERVICE appops:\nCurrent AppOps Service state:\n")
    return count + 1  # the package lines and "Packages:"


def test_huge_dumpstate_keeps_memory_flat(tmp_path: Path) -> None:
    lines = _big_dumpstate(tmp_path / "bugreport")
    tracemalloc.start()
    try:
        evidence = BugreportEvidence(tmp_path / "bugreport", tmp_path / "work")
        evidence.open()
        sections = evidence.dumpsys_sections()
        seen = {name: sum(1 for _ in section.lines()) for name, section in sections.items()}
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == {"package": lines, "appops": 1}
    assert sections["package"].first_line == 6
    assert evidence.system_properties().lines == ((3, "[persist.sys.timezone]: [UTC]"),)
    assert peak < PEAK_LIMIT, f"peak Python allocation {peak / 1e6:.1f} MB"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, b"Table:", b"Tab", b"le:"]), max_size=40), st.integers(1, 7),
       st.sampled_from(["Table:", "le:\nx", "a\\x00", "é", "xyz"]))
def test_contains_agrees_with_a_scan_of_the_lines(pieces: list[bytes], chunk: int, needle: str) -> None:
    data = b"DUMP OF SERVICE package:\n" + b"".join(pieces) + b"\nmore\n"
    saved = android_dumpsys._CHUNK
    android_dumpsys._CHUNK = chunk  # the byte search reads in tiny overlapping chunks
    try:
        section = split_dumpsys_bytes(data, "dumpsys.txt").get("package")
        if section is None:
            return
        assert section.contains(needle) == any(needle in line for _, line in section.lines())
    finally:
        android_dumpsys._CHUNK = saved
