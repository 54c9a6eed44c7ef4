"""Fuzz target: URL (WHATWG parsing), domain, IP, path, process, hash and e-mail normalisation; domain idempotence.

Run: fuzz/run.sh normalize SECONDS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.indicators import normalize as n
    from spyscan.links import whatwg
    from spyscan.links.text import extract_from_text


def one_input(data: bytes) -> None:
    text = common.provider(data).ConsumeUnicodeNoSurrogates(len(data))
    for func in (n.norm_domain, n.extract_host, n.norm_url, n.norm_ip, n.norm_ip_indicator, n.path_components,
                 n.norm_path, n.basename, n.norm_process, n.norm_hash, n.norm_email, n.norm_folded, n.norm_exact,
                 extract_from_text, whatwg.parse_url, whatwg.parse_host, n.norm_host):
        func(text)
    once = n.norm_domain(text)
    if once is not None and n.norm_domain(once) != once:
        raise AssertionError(f"norm_domain is not idempotent on {text!r}")


if __name__ == "__main__":
    common.main(one_input)
