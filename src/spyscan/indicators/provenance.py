"""Where each indicator file in use comes from: the bundled snapshot, the updated feeds, or a user's addition."""

from __future__ import annotations

from spyscan.indicators import bundled_set
from spyscan.indicators.added import added_dir
from spyscan.indicators.added import read_manifest as read_added
from spyscan.indicators.sources import read_user_manifest


def file_provenance() -> dict[tuple[str, str], str]:
    """(source, file) → where the file comes from, for bundled, updated and added files."""
    found: dict[tuple[str, str], str] = {}
    for entry in bundled_set.read_manifest().get("files", []):
        local = str(entry.get("local_path", "")).removeprefix("feeds/")
        commit = str(entry.get("snapshot_commit") or "")[:12]
        found[("bundled", local)] = f"{entry.get('feed', '')} — {entry.get('repository', '')}@{commit}"
    manifest = read_user_manifest() or {}
    for feed in manifest.get("feeds", []):
        if isinstance(feed, dict):
            origin = f"{feed.get('name', '')} — {feed.get('url', '')} (fetched {feed.get('fetched', '?')})"
            found[("user", str(feed.get("file")))] = origin
    for added in read_added():
        found[("added", str(added_dir() / added.file))] = (
            f"added as {added.name} on {added.added} (platform: {added.platform or 'any'})")
    return found
