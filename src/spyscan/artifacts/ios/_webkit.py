"""Where WebKit website data lives: Safari, SafariViewService, web clips and every app container.

Locations (see docs/ios-artifacts.md for sources): in backups the ResourceLoadStatistics files are found
by relative path in any domain (Safari's is ``AppDomain-com.apple.mobilesafari``); in filesystem dumps
they sit in each app data container, and SafariViewService keeps its copy one level higher, directly in
``SystemData/com.apple.SafariViewService/Library/WebKit/WebsiteData/``.
"""

from __future__ import annotations

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
