#!/usr/bin/env python3
"""Micro-benchmark: indicator lookups must not slow down as the indicator set grows.

Builds indices of 10k and 100k synthetic domain indicators (plus IPs, hashes, paths and process
names), performs the same 1M lookups (mixed hits and misses) on each, and prints the time per lookup
and the ratio 100k/10k (about 1.0 expected: lookups cost O(labels), not O(indicators)).

    .venv/bin/python bench/indicator_lookup.py [--lookups 1000000]
"""

from __future__ import annotations

import argparse
import random
import time

from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.model import Indicator
from spyscan.observables import Obs

WORDS = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
    "hotel", "india", "juliet", "kilo", "lima", "mike",
]
TLDS = ["com", "net", "org", "info", "xyz", "io"]


def _domain(rng: random.Random, i: int) -> str:
    return f"{rng.choice(WORDS)}{i}-{rng.randrange(10**6)}.{rng.choice(TLDS)}"


def build_indicators(count: int, seed: int = 1) -> list[Indicator]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        out.append(Indicator(type="domain-name:value", value=_domain(rng, i), stix_id=f"indicator--{i}",
                             malware="Synthetic", file="bench"))
    extra = count // 10
    for i in range(extra):
        out.append(Indicator(type="ipv4-addr:value", value=f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
                             stix_id=f"indicator--ip{i}", malware=None, file="bench"))
        out.append(Indicator(type="file:hashes.sha256", value=f"{rng.getrandbits(256):064x}",
                             stix_id=f"indicator--h{i}", malware=None, file="bench"))
        out.append(Indicator(type="file:path", value=f"/private/var/tmp/{rng.choice(WORDS)}{i}",
                             stix_id=f"indicator--p{i}", malware=None, file="bench"))
        out.append(Indicator(type="process:name", value=f"{rng.choice(WORDS)}{i}d",
                             stix_id=f"indicator--n{i}", malware=None, file="bench"))
    return out


def build_queries(indicators: list[Indicator], lookups: int, seed: int = 2) -> list[tuple[Obs, str]]:
    rng = random.Random(seed)
    domains = [i.value for i in indicators if i.type == "domain-name:value"][:5000]
    kinds = [
        lambda: (Obs.DOMAIN, f"cdn.{rng.choice(domains)}"),  # subdomain hit
        lambda: (Obs.DOMAIN, f"a.b.c.miss{rng.randrange(10**6)}.example.com"),  # miss, 6 labels
        lambda: (Obs.URL, f"https://www.{rng.choice(domains)}/path?q=1"),
        lambda: (Obs.IP, f"192.0.2.{rng.randrange(256)}"),
        lambda: (Obs.SHA256, f"{rng.getrandbits(256):064x}"),
        lambda: (Obs.FILE_PATH, f"/var/mobile/Library/x{rng.randrange(1000)}/y.plist"),
        lambda: (Obs.PROCESS, f"/usr/libexec/proc{rng.randrange(1000)}"),
    ]
    pool = [rng.choice(kinds)() for _ in range(10_000)]
    return [pool[i % len(pool)] for i in range(lookups)]


def run(size: int, lookups: int) -> float:
    indicators = build_indicators(size)
    start = time.perf_counter()
    index = IndicatorIndex.build(indicators)
    built = time.perf_counter() - start
    queries = build_queries(indicators, lookups)
    match = index.match
    start = time.perf_counter()
    found = 0
    for obs, value in queries:
        found += len(match(obs, value))
    elapsed = time.perf_counter() - start
    per_lookup = elapsed / lookups * 1e6
    print(f"{size:>7} domain indicators ({len(indicators)} total): build {built:.2f} s, "
          f"{lookups} lookups {elapsed:.2f} s = {per_lookup:.2f} µs/lookup, {found} matches")
    return per_lookup


def main() -> None:
    parser = argparse.ArgumentParser(description="indicator lookup micro-benchmark")
    parser.add_argument("--lookups", type=int, default=1_000_000)
    args = parser.parse_args()
    small = run(10_000, args.lookups)
    large = run(100_000, args.lookups)
    print(f"ratio 100k/10k per lookup: {large / small:.2f} (1.0 = independent of the number of indicators)")


if __name__ == "__main__":
    main()
