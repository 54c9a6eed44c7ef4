"""``spyscan.visible``: invisible and control characters shown as escapes in CSV, and as lossless JSON escapes."""

from __future__ import annotations

import json

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from spyscan import visible as v

CODE_POINTS = [*range(0x0, 0x30000), *range(0xE0000, 0xE1000)]


def test_the_byte_patterns_are_the_character_pattern() -> None:
    """On every code point of the planes in use: the UTF-8 patterns (one per lead byte and combined) match
    its encoding exactly when the character pattern matches it (C0 aside: JSON escapes those itself)."""
    for code in CODE_POINTS:
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        data = char.encode("utf-8")
        expected = code >= 0x20 and v.INVISIBLE.fullmatch(char) is not None
        assert (v._INVISIBLE_UTF8.fullmatch(data) is not None) == expected, hex(code)
        assert any(lead in data and search(data) for lead, search in v._LEAD_SEARCHES) == expected, hex(code)


def test_every_invisible_character_is_not_printable() -> None:
    """``visible`` skips printable text at once: that is only right if none of them is printable."""
    for code in CODE_POINTS:
        if v.INVISIBLE.fullmatch(chr(code)):
            assert not chr(code).isprintable(), hex(code)


TEXT = st.text(st.one_of(
    st.characters(blacklist_categories=("Cs",)),
    st.sampled_from("\u202e\u2066\u2069\u200e\u200f\u061c\x85\u2028\x7f\u00ad\ufeff\U000e0041\U000e007f\u200b\n\t\\\""),
))


@settings(max_examples=300, deadline=None)  # (records never hold lone surrogates: msgspec cannot encode them)
@given(st.lists(TEXT, max_size=5))
def test_json_escapes_are_lossless_and_leave_nothing_invisible(texts: list[str]) -> None:
    data = msgspec.json.Encoder().encode_lines([{"t": t, "n": i} for i, t in enumerate(texts)])
    shown = v.json_visible(data)
    assert msgspec.json.Decoder().decode_lines(shown) == msgspec.json.Decoder().decode_lines(data)
    assert [json.loads(line) for line in shown.decode().split("\n") if line] == [
        {"t": t, "n": i} for i, t in enumerate(texts)]
    assert v.INVISIBLE.search(shown.decode().replace("\n", "")) is None


def test_json_without_anything_to_escape_is_returned_as_is() -> None:
    for data in (b'{"a":"plain"}', '{"a":"ñandú “ok” 😀"}'.encode()):
        assert v.json_visible(data) is data


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_visible_text_shows_every_invisible_character_as_its_python_escape(text: str) -> None:
    shown = v.visible(text)
    assert v.INVISIBLE.search(shown) is None
    expected = "".join(repr(c)[1:-1] if v.INVISIBLE.fullmatch(c) else c for c in text)
    assert shown == expected
