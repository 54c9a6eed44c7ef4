"""Feed index files (the YAML format of the MVT ``indicators.yaml``): which STIX2 files to download."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import yaml

from spyscan.errors import IndicatorError
from spyscan.texts import tr

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/mvt-project/mvt-indicators/main/indicators.yaml"

_SAFE_PART = re.compile(r"[^A-Za-z0-9._-]+")


class FeedEntry(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    url: str
    file: str  # safe relative path where the feed is stored, e.g. "AmnestyTech/investigations/x/y.stix2"
    sources: tuple[str, ...] = ()


def safe_relative(parts: list[str]) -> str:
    """Join path parts into a relative path that cannot escape its folder."""
    clean = []
    for part in parts:
        for piece in part.split("/"):
            piece = _SAFE_PART.sub("_", piece).strip(".")
            if piece:
                clean.append(piece)
    if not clean:
        raise IndicatorError(tr('feed index entry gives no usable file name'))
    return "/".join(clean)


def _entry(raw: Any, position: int) -> FeedEntry:
    if not isinstance(raw, dict):
        raise IndicatorError(tr('feed index entry #%(position)s is not a mapping', position=position))
    name = str(raw.get("name") or f"feed #{position}")
    sources = tuple(str(s) for s in raw.get("sources") or () if isinstance(s, str | int))
    github = raw.get("github")
    if isinstance(raw.get("download_url"), str):
        url: str = raw["download_url"]
        tail = url.split("?", 1)[0].split("#", 1)[0].split("://", 1)[-1]
        file = safe_relative([tail])
    elif isinstance(github, dict) and all(isinstance(github.get(k), str) for k in ("owner", "repo", "path")):
        branch = str(github.get("branch") or "main")
        owner, repo, path = github["owner"], github["repo"], github["path"].lstrip("/")
        url = f"https://raw.githubusercontent.com/{owner}/{repo}/{branch}/{path}"
        file = safe_relative([owner, repo, path])
    else:
        raise IndicatorError(tr("feed index entry '%(name)s' has neither download_url nor github owner/repo/path",
                                name=name))
    if not file.endswith((".stix2", ".json")):
        file += ".stix2"
    return FeedEntry(name=name, url=url, file=file, sources=sources)


def parse_feed_index(data: bytes, name: str = "feed index") -> list[FeedEntry]:
    """Entries of a feed index; raises :class:`IndicatorError` on malformed input."""
    try:
        doc = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            raise IndicatorError(tr("%(name)s: invalid YAML at line %(line)s, column %(column)s", name=name,
                                    line=mark.line + 1, column=mark.column + 1)) from None
        raise IndicatorError(tr("%(name)s: invalid YAML", name=name)) from None
    entries = doc.get("indicators") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise IndicatorError(tr("%(name)s: not a feed index (no 'indicators' list)", name=name))
    feeds = [_entry(raw, i + 1) for i, raw in enumerate(entries)]
    seen: set[str] = set()
    for feed in feeds:
        if feed.file in seen:
            raise IndicatorError(tr('%(name)s: two feeds would be stored as %(feed)s', name=name, feed=feed.file))
        seen.add(feed.file)
    return feeds
