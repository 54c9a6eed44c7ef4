#!/usr/bin/env python3
"""Micro-benchmark (CPU time of this process, so that other load on the machine counts less):
the cost of matching one URL (and one message text with links) against the bundled
indicators, for distinct URLs (no cache hit: every visit of the benchmark's histories is another page)
and for URLs seen again (cache hits).

    .venv/bin/python bench/url_matching.py [--urls 5000] [--repeat 5]

Prints µs per URL for: ``norm_url`` alone, ``IndicatorIndex.match(Obs.URL, ...)`` on distinct URLs and on
repeated ones, and ``match(Obs.TEXT, ...)`` on message bodies with a link in a third of them.
"""

from __future__ import annotations

import argparse
import random
import time
import timeit

from spyscan.indicators import normalize
from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.sources import load_indicator_set
from spyscan.observables import Obs

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
TLDS = ["com", "net", "org", "es", "com.mx", "co.uk", "io"]


def realistic_urls(count: int, seed: int = 1) -> list[str]:
    """Browser-history-like URLs: 2,000 hosts, paths, queries with tracking parameters, some www., http, ports."""
    rng = random.Random(seed)
    hosts = [f"{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.randrange(10_000)}.{rng.choice(TLDS)}" for _ in range(2000)]
    urls = []
    for i in range(count):
        host = rng.choice(hosts)
        scheme = "https" if rng.random() < 0.9 else "http"
        www = "www." if rng.random() < 0.3 else ""
        path = "/".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 4)))
        query = f"?utm_source={rng.choice(WORDS)}&id={i}" if rng.random() < 0.5 else ""
        port = ":8443" if rng.random() < 0.02 else ""
        urls.append(f"{scheme}://{www}{host}{port}/{path}{query}")
    return urls


def texts(urls: list[str], seed: int = 2) -> list[str]:
    rng = random.Random(seed)
    return [f"See you later, details at {url}" if i % 3 == 0 else f"Message number {i} {rng.choice(WORDS)}"
            for i, url in enumerate(urls)]


def per_item(func: object, items: list[str], repeat: int, clear: bool) -> float:
    def run() -> None:
        if clear:
            normalize.norm_url.cache_clear()
            for name in ("parse_url", "parse_host"):  # the WHATWG layer's caches, where there is one
                empty = getattr(getattr(_whatwg, name, None), "cache_clear", None)
                if empty is not None:
                    empty()
        for item in items:
            func(item)  # type: ignore[operator]
    return min(timeit.repeat(run, number=1, repeat=repeat, timer=time.process_time)) / len(items) * 1e6


try:
    from spyscan.links import whatwg as _whatwg
except ImportError:  # the code before WHATWG parsing
    _whatwg = None


def main() -> None:
    parser = argparse.ArgumentParser(description="URL matching micro-benchmark")
    parser.add_argument("--urls", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    index = IndicatorIndex.build(load_indicator_set([], env=False, user=False).indicators)
    urls = realistic_urls(args.urls)
    bodies = texts(urls)
    print(f"{index.size} indicators, {len(urls)} URLs, WHATWG parsing: {'yes' if _whatwg else 'no'}")
    print(f"norm_url, distinct URLs:          {per_item(normalize.norm_url, urls, args.repeat, True):6.2f} µs/URL")

    def match_url(url: str) -> None:
        index.match(Obs.URL, url)

    def match_text(text: str) -> None:
        index.match(Obs.TEXT, text)

    print(f"match(URL), distinct URLs:        {per_item(match_url, urls, args.repeat, True):6.2f} µs/URL")
    print(f"match(URL), URLs seen before:     {per_item(match_url, urls[:1000], args.repeat, False):6.2f} µs/URL")
    print(f"match(TEXT), message bodies:      {per_item(match_text, bodies, args.repeat, True):6.2f} µs/text")


if __name__ == "__main__":
    main()
