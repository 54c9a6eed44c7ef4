"""Cache of parsed indicator files, keyed by content SHA-256 and parser version."""

from __future__ import annotations

import contextlib

import msgspec

from spyscan.indicators.stix import PARSER_VERSION, ParsedBundle
from spyscan.indicators.storage import cache_dir, write_private

_decoder = msgspec.msgpack.Decoder(ParsedBundle)
_encoder = msgspec.msgpack.Encoder()


def _entry(sha256: str) -> str:
    return f"indicators-v{PARSER_VERSION}-{sha256}.msgpack"


def load_cached(sha256: str) -> ParsedBundle | None:
    """The cached parse of the file with this SHA-256, or None (missing, unreadable or outdated)."""
    path = cache_dir() / "indicators" / _entry(sha256)
    try:
        return _decoder.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None


def store_cached(sha256: str, parsed: ParsedBundle) -> None:
    """Remember a parse result; failures to write the cache are ignored (it is only a speed-up)."""
    with contextlib.suppress(OSError):
        write_private(cache_dir() / "indicators" / _entry(sha256), _encoder.encode(parsed))
