"""``spyscan iocs update``: download the feeds of a feed index into the user's indicator set.

This is the only code in spyscan that touches the network. The new set is assembled in a temporary
folder next to the current one and swapped in by renaming only when every feed downloaded and parsed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import msgspec

from spyscan import __version__
from spyscan.errors import IndicatorError
from spyscan.indicators import categories as cat
from spyscan.indicators.cache import store_cached
from spyscan.indicators.feeds import DEFAULT_INDEX_URL, FeedEntry, parse_feed_index
from spyscan.indicators.scope import is_echap_feed
from spyscan.indicators.sources import USER_CATEGORIES, USER_MANIFEST
from spyscan.indicators.stix import parse_bundle_bytes
from spyscan.indicators.storage import data_dir, make_private_dir, user_iocs_dir, write_private
from spyscan.texts import tr

MAX_FEED_BYTES = 64 * 1024 * 1024
TIMEOUT_SECONDS = 30.0
ALLOWED_SCHEMES = ("http", "https", "file")


class FetchedFeed(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    url: str
    file: str
    sha256: str
    fetched: str  # UTC, ISO 8601
    indicators: int
    unsupported: int
    sources: tuple[str, ...] = ()


class UpdateResult(msgspec.Struct, frozen=True, kw_only=True):
    index: str
    feeds: list[FetchedFeed]
    failures: list[str]  # one line per feed that failed; when not empty the previous set was kept
    target: str
    notes: list[str] = []  # things worth saying that did not stop the update


class FetchedCategories(msgspec.Struct, frozen=True, kw_only=True):
    urls: list[str]
    sha256: list[str]
    fetched: str


def fetch(url: str, *, timeout: float = TIMEOUT_SECONDS, limit: int = MAX_FEED_BYTES) -> bytes:
    """Download ``url`` (http, https or file); raises :class:`IndicatorError` with a one-line reason."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise IndicatorError(tr('%(url)s: only http, https and file URLs are allowed', url=url))
    request = urllib.request.Request(url, headers={"User-Agent": f"spyscan/{__version__}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked
            data: bytes = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise IndicatorError(tr('%(url)s: HTTP %(code)s %(reason)s', url=url, code=exc.code,
                                reason=exc.reason)) from None
    except urllib.error.URLError as exc:
        raise IndicatorError(tr('%(url)s: %(reason)s', url=url, reason=exc.reason)) from None
    except (OSError, ValueError) as exc:
        raise IndicatorError(tr('%(url)s: %(error)s', url=url, error=exc)) from None
    if len(data) > limit:
        raise IndicatorError(tr('%(url)s: larger than %(count)s MiB', url=url, count=limit // (1024 * 1024)))
    return data


def _index_url(index: str) -> str:
    """Accept a URL or a local file path for the index."""
    if "://" not in index and Path(index).exists():
        return Path(index).resolve().as_uri()
    return index


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _download(feed: FeedEntry, folder: Path, timeout: float) -> FetchedFeed:
    data = fetch(feed.url, timeout=timeout)
    parsed = parse_bundle_bytes(data, feed.url)  # raises IndicatorError if it is not a bundle
    digest = hashlib.sha256(data).hexdigest()
    write_private(folder / feed.file, data)
    store_cached(digest, parsed)
    return FetchedFeed(
        name=feed.name, url=feed.url, file=feed.file, sha256=digest, fetched=_now(),
        indicators=len(parsed.entries), unsupported=len(parsed.unsupported), sources=feed.sources,
    )


def _categories_urls(feed: FeedEntry) -> list[str] | None:
    """Where Echap's ``ioc.yaml`` and ``watchware.yaml`` sit, next to its STIX file (None: not that feed,
    or a URL of another shape)."""
    if not is_echap_feed(feed.file) or not feed.url.endswith(cat.STIX_PATH):
        return None
    base = feed.url[: -len(cat.STIX_PATH)]
    return [base + cat.IOC_FILE, base + cat.WATCHWARE_FILE]


def _download_categories(urls: list[str], folder: Path, timeout: float) -> FetchedCategories:
    ioc, watchware = (fetch(url, timeout=timeout) for url in urls)
    found = cat.categories_from_yaml(ioc, watchware, " ".join(urls))  # raises IndicatorError if unusable
    write_private(folder / USER_CATEGORIES, cat.encode_categories(found))
    return FetchedCategories(urls=urls, sha256=[hashlib.sha256(d).hexdigest() for d in (ioc, watchware)],
                             fetched=_now())


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with renames (the old set is removed afterwards)."""
    old: Path | None = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=".iocs-old-"))
        old.rmdir()
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def update_user_set(index: str = DEFAULT_INDEX_URL, *, timeout: float = TIMEOUT_SECONDS) -> UpdateResult:
    """Download every feed of ``index``; replace the user's set only if all succeeded."""
    index_url = _index_url(index)
    feeds = parse_feed_index(fetch(index_url, timeout=timeout), index_url)
    root = make_private_dir(data_dir())
    target = user_iocs_dir()
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".iocs-new-"))
    fetched: list[FetchedFeed] = []
    failures: list[str] = []
    notes: list[str] = []
    categories: FetchedCategories | None = None
    try:
        for feed in feeds:
            try:
                fetched.append(_download(feed, staging, timeout))
            except IndicatorError as exc:
                failures.append(f"{feed.name}: {exc}")
                continue
            if is_echap_feed(feed.file):
                urls = _categories_urls(feed)
                if urls is None:
                    notes.append(f"{feed.name}: its categories (ioc.yaml, watchware.yaml) are not next to "
                                 f"{feed.url}; the bundled ones are used")
                    continue
                try:
                    categories = _download_categories(urls, staging, timeout)
                except IndicatorError as exc:
                    failures.append(f"{feed.name} categories: {exc}")
        if failures:
            return UpdateResult(index=index_url, feeds=fetched, failures=failures, target=str(target), notes=notes)
        manifest: dict[str, object] = {
            "index": index_url,
            "updated": _now(),
            "feeds": [msgspec.to_builtins(f) for f in fetched],
        }
        if categories is not None:
            manifest["categories"] = msgspec.to_builtins(categories)
        write_private(staging / USER_MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
        _swap_in(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return UpdateResult(index=index_url, feeds=fetched, failures=[], target=str(target), notes=notes)
