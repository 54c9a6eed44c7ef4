"""Where WebKit website data lives: Safari, SafariViewService and every app container."""

from __future__ import annotations

from spyscan.evidence.ios import IOSFile, IOSPath

RLS = "WebKit/WebsiteData/ResourceLoadStatistics"
APP = "private/var/mobile/Containers/Data/Application/*"


def rls_specs(name: str) -> tuple[IOSPath, ...]:
    rel = f"Library/{RLS}/{name}"
    return (
        IOSPath(domain="HomeDomain", relative=rel, fs=(
            f"private/var/mobile/{rel}",
            f"{APP}/{rel}",
            f"{APP}/SystemData/com.apple.SafariViewService/{rel}",
        )),
        IOSPath(domain="AppDomain-*", relative=rel),
        IOSPath(domain="AppDomain-*", relative=f"SystemData/com.apple.SafariViewService/{rel}"),
    )


def container_of(file: IOSFile) -> str:
    """The app container (backup domain, or dump folder up to the app's UUID) a file belongs to."""
    if file.domain:
        return file.domain
    marker = "/Library/"
    label = file.label
    cut = label.find("/SystemData/")
    if cut < 0:
        cut = label.find(marker)
    return label[:cut] if cut > 0 else label
