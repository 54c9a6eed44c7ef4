"""``norm_domain`` is idempotent and refuses host names with whitespace or control characters inside
(fuzz finding 5: ``'\\x00\\n.'`` normalised to ``'\\x00\\n'``, then to ``'\\x00'``)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spyscan.indicators.normalize import norm_domain

LABEL = st.text(alphabet=st.sampled_from("abcwW-.0\u00fc\u3002\uff0e \t\n\x00\x7f\x85\u2488"), max_size=12)
HOSTISH = st.builds(lambda prefix, body, tail: prefix + body + tail,
                    st.sampled_from(["", "www.", "WWW.", "www.www.", " ", "\n"]), LABEL,
                    st.sampled_from(["", ".", "..", ". ", " .", "\x00", ".\n"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=40), HOSTISH))
def test_norm_domain_is_idempotent(value: str) -> None:
    once = norm_domain(value)
    if once is not None:
        assert norm_domain(once) == once
        assert once == once.strip() and not once.endswith(".")
        assert not any(ch.isspace() or ord(ch) < 0x20 for ch in once)


@pytest.mark.parametrize("value", ["\x00\n.", "evil\x00.example", "a b.example", "a\tb", "x\x7f.example",
                                   "bad\x85host"])
def test_control_characters_and_inner_whitespace_are_not_host_names(value: str) -> None:
    assert norm_domain(value) is None


@pytest.mark.parametrize(("value", "expected"), [
    (" Evil.Example. ", "evil.example"), ("www.evil.example", "evil.example"),
    ("www.www.evil.example", "evil.example"), ("\u00fc.example", "xn--tda.example"),
    ("evil\u3002example", "evil.example"),
])
def test_usual_names_still_normalise(value: str, expected: str) -> None:
    assert norm_domain(value) == expected
