"""Blocks of whole lines: line numbers, cut over-long lines, escaped bad bytes, any chunking."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spyscan.evidence.text_blocks import line_blocks


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def _lines(data: bytes, size: int, limit: int) -> tuple[list[tuple[int, str]], int, int]:
    out: list[tuple[int, str]] = []
    bad = cut = 0
    for block in line_blocks(_chunks(data, size), limit):
        for offset, text in enumerate(block.text.splitlines()):
            out.append((block.first_line + offset, text))
        bad += block.bad_bytes
        cut += block.cut_lines
    return out, bad, cut


@pytest.mark.parametrize("size", [1, 3, 7, 64, 1 << 20])
def test_line_numbers_cuts_and_bad_bytes_whatever_the_chunking(size: int) -> None:
    data = b"one\n" + b"x" * 50 + b"\nthree \xff\n\nfive"
    lines, bad, cut = _lines(data, size, limit=20)
    assert lines == [(1, "one"), (2, "x" * 20), (3, "three \\xff"), (4, ""), (5, "five")]
    assert (bad, cut) == (1, 1)


def test_a_file_without_line_ends_is_never_held_whole() -> None:
    blocks = list(line_blocks(_chunks(b"a" * 10_000 + b"\nend\n", 100), 500))
    assert max(len(b.text) for b in blocks) <= 501
    assert blocks[-1].text.endswith("end\n") and blocks[-1].first_line + blocks[-1].text.count("\n") - 1 == 2
