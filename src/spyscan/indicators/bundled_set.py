"""The indicator set shipped inside the package: feeds, manifest and the pre-parsed (compiled) form.

Parsing ~10,700 patterns takes seconds, so ``tools/build_bundled_iocs.py`` parses the feeds once and
stores the result in ``bundled/compiled.msgpack``; a check only decodes that file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import msgspec

from spyscan.indicators.stix import PARSER_VERSION, ParsedBundle, parse_bundle_bytes

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
FEEDS_DIR = BUNDLED_DIR / "feeds"
COMPILED_PATH = BUNDLED_DIR / "compiled.msgpack"
MANIFEST_PATH = BUNDLED_DIR / "MANIFEST.json"


class CompiledFile(msgspec.Struct, array_like=True, frozen=True):
    file: str  # path relative to feeds/, e.g. "mvt-project/mvt-indicators/candiru/candiru.stix2"
    sha256: str
    parsed: ParsedBundle


class CompiledSet(msgspec.Struct, array_like=True, frozen=True):
    parser_version: str
    set_version: str
    files: list[CompiledFile]


def feed_files() -> list[Path]:
    """The shipped STIX2 feed files, in a stable order."""
    return sorted(p for p in FEEDS_DIR.rglob("*") if p.is_file() and p.suffix in (".stix2", ".json"))


def relative_name(path: Path) -> str:
    return path.relative_to(FEEDS_DIR).as_posix()


def read_manifest() -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": "unknown", "files": []}
    return data


def set_version() -> str:
    return str(read_manifest().get("version", "unknown"))


def compile_feeds(version: str | None = None) -> CompiledSet:
    """Parse every shipped feed (slow: seconds)."""
    files = []
    for path in feed_files():
        data = path.read_bytes()
        name = relative_name(path)
        files.append(CompiledFile(name, hashlib.sha256(data).hexdigest(), parse_bundle_bytes(data, name)))
    return CompiledSet(PARSER_VERSION, version if version is not None else set_version(), files)


def encode_compiled(compiled: CompiledSet) -> bytes:
    return msgspec.msgpack.encode(compiled)


def load_compiled() -> CompiledSet:
    """The compiled bundled set; falls back to parsing the feeds if the compiled file is unusable."""
    try:
        compiled = msgspec.msgpack.decode(COMPILED_PATH.read_bytes(), type=CompiledSet)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return compile_feeds()
    if compiled.parser_version != PARSER_VERSION:
        return compile_feeds()
    return compiled
