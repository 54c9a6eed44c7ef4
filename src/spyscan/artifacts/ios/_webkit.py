"""Where WebKit website data lives: Safari, SafariViewService, web clips and every app container.

Locations (see docs/ios-artifacts.md for sources): in backups the ResourceLoadStatistics files are found
by relative path in any domain (Safari's is ``AppDomain-com.apple.mobilesafari``); in filesystem dumps
they sit in each app data container, and SafariViewService keeps its copy one level higher, directly in
``SystemData/com.apple.SafariViewService/Library/WebKit/WebsiteData/``.
"""

from __future__ import annotations

import re

from spyscan.evidence.ios import IOSFile, IOSPath

RLS = "Library/WebKit/WebsiteData/ResourceLoadStatistics"
SVS = "SystemData/com.apple.SafariViewService/Library/WebKit/WebsiteData"
APP = "private/var/mobile/Containers/Data/Application/*"


def rls_specs(name: str, *, web_clips: bool = False) -> tuple[IOSPath, ...]:
    """Backup (any domain) and filesystem locations of the ResourceLoadStatistics file ``name``."""
    fs = [f"{APP}/{RLS}/{name}", f"{APP}/{SVS}/{name}", f"private/var/mobile/{RLS}/{name}"]
    if web_clips:
        fs.append(f"private/var/mobile/Library/WebClips/*/Storage/{name}")
    return (
        IOSPath(domain="*", relative=f"{RLS}/{name}", fs=tuple(fs)),
        IOSPath(domain="AppDomain*", relative=f"{SVS}/{name}"),
    )


def container_of(file: IOSFile) -> str:
    """The app container (backup domain, or dump folder up to the app's UUID) a file belongs to."""
    if file.domain:
        return file.domain
    label = file.label
    for marker in ("/SystemData/", "/Library/", "/Storage/"):
        cut = label.find(marker)
        if cut > 0:
            return label[:cut]
    return label


# WebKit names per-origin website data after the origin: ``https_example.org_0`` (IndexedDB and WebSQL
# folders), ``https_example.org_0.localstorage`` (LocalStorage files); the number is the port, 0 the default
_ORIGIN = re.compile(r"^(https?|file)_(.+?)_(\d+)(?:\.localstorage)?$")
# where those names appear under WebsiteData, relative to an app container (or SafariViewService's folder)
ORIGIN_STORES = re.compile(
    r"(?:^|/)WebKit/WebsiteData/(?P<store>LocalStorage|IndexedDB(?:/v[01])?|WebSQL)/(?P<name>[^/]+)$")


def parse_origin(name: str) -> tuple[str, str] | None:
    """``https_example.org_0`` -> ("https://example.org", "example.org"); port 0 means the default."""
    found = _ORIGIN.match(name)
    if found is None:
        return None
    scheme, host, port = found.groups()
    if not host or "/" in host:
        return None
    origin = f"{scheme}://{host}" + ("" if port == "0" else f":{port}")
    return origin, host


def origin_store(relative: str) -> tuple[str, str, str] | None:
    """``(store, origin, host)`` of a path inside an app container, or None when it names no origin.

    The store is ``LocalStorage``, ``IndexedDB``, ``WebSQL``, or ``SafariViewService`` for the copies kept
    by Safari views shown inside other apps."""
    found = ORIGIN_STORES.search(relative)
    if found is None:
        return None
    parsed = parse_origin(found.group("name"))
    if parsed is None:
        return None
    store = "SafariViewService" if "com.apple.SafariViewService/" in relative else found.group("store").split("/")[0]
    return store, parsed[0], parsed[1]
