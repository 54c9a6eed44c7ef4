"""Assemble the indicator set of a run from the bundled set, the user's updated set, env and CLI paths."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from spyscan.errors import IndicatorError
from spyscan.indicators import bundled_set
from spyscan.indicators.cache import load_cached, store_cached
from spyscan.indicators.categories import FeedCategories, decode_categories
from spyscan.indicators.model import Indicator, IndicatorFile, Unsupported
from spyscan.indicators.prepare import prepare
from spyscan.indicators.scope import profile_for, summary
from spyscan.indicators.stix import ParsedBundle, parse_bundle_bytes
from spyscan.indicators.storage import user_iocs_dir
from spyscan.texts import tr

ENV_IOCS = "SPYSCAN_IOCS"
BUNDLE_SUFFIXES = (".stix2", ".json")
USER_MANIFEST = "manifest.json"
USER_CATEGORIES = "categories.json"  # the Echap categories fetched with the feeds by ``iocs update``


class IndicatorSet(msgspec.Struct, kw_only=True):
    indicators: list[Indicator] = msgspec.field(default_factory=list)
    files: list[IndicatorFile] = msgspec.field(default_factory=list)
    unsupported: list[Unsupported] = msgspec.field(default_factory=list)
    errors: list[str] = msgspec.field(default_factory=list)  # broken files met while scanning folders


class _Loader:
    def __init__(self, categories: FeedCategories | None = None) -> None:
        self.result = IndicatorSet()
        self.seen: set[str] = set()
        self._categories = categories

    @property
    def categories(self) -> FeedCategories:
        if self._categories is None:
            self._categories = current_categories()
        return self._categories

    def add(self, parsed: ParsedBundle, file: str, sha256: str, source: str) -> None:
        self.seen.add(sha256)
        indicators = parsed.indicators(file)
        self.result.indicators.extend(indicators)
        self.result.unsupported.extend(parsed.unsupported_for(file))
        profile = profile_for(file)
        self.result.files.append(
            IndicatorFile(
                file=file, sha256=sha256, count=len(indicators), source=source, families=tuple(parsed.families),
                threat=profile.threat if profile is not None else None,
                platforms=summary(i.platform for i in indicators),
            )
        )

    def add_file(self, path: Path, source: str, display: str | None = None, platform: str | None = None) -> None:
        """Load one bundle file; raises :class:`IndicatorError` when it cannot be used at all."""
        name = display or str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IndicatorError(tr('cannot read indicator file %(name)s: %(value)s', name=name,
                                    value=exc.strerror or exc)) from None
        sha256 = hashlib.sha256(data).hexdigest()
        if sha256 in self.seen:
            return
        parsed = prepare(parse_cached(data, sha256, name), name, self.categories)
        if platform is not None:  # a file the user added, declared to be about one platform
            from spyscan.indicators.added import declare_platform

            parsed = declare_platform(parsed, platform)
        self.add(parsed, name, sha256, source)

    def add_path(self, path: Path, source: str) -> None:
        """An explicit file or folder; folders are scanned recursively, their broken files recorded."""
        if path.is_dir():
            for item in sorted(p for p in path.rglob("*") if p.suffix in BUNDLE_SUFFIXES and p.is_file()):
                try:
                    self.add_file(item, source)
                except IndicatorError as exc:
                    self.result.errors.append(str(exc))
        elif path.exists():
            self.add_file(path, source)
        else:
            if source == "cli":
                raise IndicatorError(tr("indicator path not found: %(path)s", path=path))
            raise IndicatorError(tr("indicator path from %(variable)s not found: %(path)s", variable=ENV_IOCS,
                                    path=path))


def parse_cached(data: bytes, sha256: str, name: str) -> ParsedBundle:
    """Parse bundle bytes, reusing the per-user cache keyed by content hash."""
    cached = load_cached(sha256)
    if cached is not None:
        return cached
    parsed = parse_bundle_bytes(data, name)
    store_cached(sha256, parsed)
    return parsed


def read_user_manifest() -> dict[str, Any] | None:
    """The manifest of the set written by ``spyscan iocs update``, or None when there is none."""
    try:
        doc = json.loads((user_iocs_dir() / USER_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("feeds"), list) else None


def _user_files() -> list[str]:
    manifest = read_user_manifest()
    if manifest is None:
        return []
    return [f["file"] for f in manifest["feeds"] if isinstance(f, dict) and isinstance(f.get("file"), str)]


def current_categories() -> FeedCategories:
    """The Echap categories fetched by ``spyscan iocs update`` when there are any, else the bundled ones."""
    if read_user_manifest() is not None:
        try:
            found = decode_categories((user_iocs_dir() / USER_CATEGORIES).read_bytes())
        except OSError:
            found = None
        if found is not None:
            return found
    return bundled_set.load_categories()


def env_paths() -> list[Path]:
    value = os.environ.get(ENV_IOCS, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def load_indicator_set(
    paths: Sequence[Path], *, bundled: bool = True, env: bool = True, user: bool = True
) -> IndicatorSet:
    """Load indicators in order: bundled set, user's updated set, the files the user added (``indicators.added``),
    ``SPYSCAN_IOCS`` paths, ``paths``.

    A feed file in the user's updated set replaces the bundled file with the same relative name.
    Files with identical content are loaded once. Raises :class:`IndicatorError` for an explicit
    path that is missing or not a STIX bundle.
    """
    loader = _Loader()
    user_files = _user_files() if user else []
    if bundled:
        superseded = set(user_files)
        for item in bundled_set.load_compiled().files:
            if item.file not in superseded and item.sha256 not in loader.seen:
                loader.add(item.parsed, item.file, item.sha256, "bundled")
    root = user_iocs_dir()
    for name in user_files:
        try:
            loader.add_file(root / name, "user", display=name)
        except IndicatorError as exc:
            loader.result.errors.append(f"{exc} (run 'spyscan iocs update' again)")
    if user:
        from spyscan.indicators.added import added_dir, read_manifest

        for entry in read_manifest():
            try:
                loader.add_file(added_dir() / entry.file, "added", display=str(added_dir() / entry.file),
                                platform=entry.platform)
            except IndicatorError as exc:
                loader.result.errors.append(str(exc))
    if env:
        for path in env_paths():
            loader.add_path(path, "env")
    for path in paths:
        loader.add_path(Path(path), "cli")
    return loader.result
