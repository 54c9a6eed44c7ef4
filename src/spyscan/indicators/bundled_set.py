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

from spyscan.indicators import categories as cat
from spyscan.indicators.prepare import prepare
from spyscan.indicators.stix import PARSER_VERSION, ParsedBundle, parse_bundle_bytes

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
FEEDS_DIR = BUNDLED_DIR / "feeds"
COMPILED_PATH = BUNDLED_DIR / "compiled.msgpack"
MANIFEST_PATH = BUNDLED_DIR / "MANIFEST.json"
CATEGORIES_PATH = BUNDLED_DIR / "categories.json"  # compiled from the Echap YAML below
ECHAP_DIR = FEEDS_DIR / cat.REPOSITORY
ECHAP_SNAPSHOT = "a04c5c1958bff93fec3b1b56edbb412b209f2a38"  # commit of the bundled ioc.yaml and watchware.yaml


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


def compile_categories() -> cat.FeedCategories:
    """The Echap categories from the shipped ``ioc.yaml`` and ``watchware.yaml``."""
    ioc, watchware = (ECHAP_DIR / cat.IOC_FILE).read_bytes(), (ECHAP_DIR / cat.WATCHWARE_FILE).read_bytes()
    source = f"{cat.REPOSITORY}@{ECHAP_SNAPSHOT[:12]} ({cat.IOC_FILE}, {cat.WATCHWARE_FILE})"
    return cat.categories_from_yaml(ioc, watchware, source)


def load_categories() -> cat.FeedCategories:
    """The bundled Echap categories (compiled JSON; recompiled from the YAML if that file is unusable)."""
    try:
        found = cat.decode_categories(CATEGORIES_PATH.read_bytes())
    except OSError:
        found = None
    return found if found is not None else compile_categories()


def compile_feeds(version: str | None = None, categories: cat.FeedCategories | None = None) -> CompiledSet:
    """Parse every shipped feed (slow: seconds), prepared as a check loads a file (``prepare``)."""
    categories = categories if categories is not None else load_categories()
    files = []
    for path in feed_files():
        data = path.read_bytes()
        name = relative_name(path)
        parsed = prepare(parse_bundle_bytes(data, name), name, categories)
        files.append(CompiledFile(name, hashlib.sha256(data).hexdigest(), parsed))
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
