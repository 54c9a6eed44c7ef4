from __future__ import annotations

import pytest

from spyscan.errors import IndicatorError
from spyscan.indicators.feeds import parse_feed_index

MVT_STYLE = b"""
indicators:
  -
    type: github
    name: NSO Group Pegasus Indicators of Compromise
    sources:
      - Amnesty International
    github:
      owner: AmnestyTech
      repo: investigations
      branch: master
      path: 2021-07-18_nso/pegasus.stix2
  - name: Direct
    download_url: https://example.org/a/../b.json?x=1
"""


def test_parse_mvt_style_index() -> None:
    first, second = parse_feed_index(MVT_STYLE)
    assert first.url == (
        "https://raw.githubusercontent.com/AmnestyTech/investigations/master/2021-07-18_nso/pegasus.stix2"
    )
    assert first.file == "AmnestyTech/investigations/2021-07-18_nso/pegasus.stix2"
    assert first.sources == ("Amnesty International",)
    assert second.url == "https://example.org/a/../b.json?x=1"
    assert ".." not in second.file.split("/")
    assert second.file == "example.org/a/b.json"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[1, 2]", "not a feed index"),
        (b"indicators:\n  - name: x\n", "neither download_url nor github"),
        (b"indicators:\n  - 3\n", "not a mapping"),
        (b"indicators:\n  - {name: a, download_url: 'http://x/a.json'}\n  - {name: b, download_url: 'http://x/a.json'}\n",
         "two feeds would be stored"),
    ],
)
def test_bad_index(data: bytes, message: str) -> None:
    with pytest.raises(IndicatorError, match=message):
        parse_feed_index(data)
