"""Web origins with stored data: WebKit IndexedDB, WebSQL and LocalStorage, in apps and in SafariViewService.

WebKit names these by origin (``https_example.org_0`` for IndexedDB and WebSQL folders,
``https_example.org_0.localstorage`` files; see ``_webkit.py``); they are read from the shared listing, no
file is opened. Backups list the same paths in Manifest.db: ``ios.backup_webkit_origins``.
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._webkit import parse_origin
from spyscan.artifacts.ios.fs_common import listed
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.records.base import SourceRef
from spyscan.records.ios_fs import WebkitOrigin
from spyscan.texts import N_, tr
from spyscan.timeutil import from_unix
from spyscan.values import raw_if_lost

APP = "private/var/mobile/Containers/Data/Application/*"
SVS = f"{APP}/SystemData/com.apple.SafariViewService"
LOCATIONS = (
    ("IndexedDB", f"{APP}/Library/WebKit/WebsiteData/IndexedDB/*"),
    ("IndexedDB", f"{APP}/Library/WebKit/WebsiteData/IndexedDB/v1/*"),
    ("WebSQL", f"{APP}/Library/WebKit/WebsiteData/WebSQL/*"),
    ("LocalStorage", f"{APP}/Library/WebKit/WebsiteData/LocalStorage/*.localstorage"),
    ("SafariViewService", f"{SVS}/Library/WebKit/WebsiteData/IndexedDB/*"),
    ("SafariViewService", f"{SVS}/Library/WebKit/WebsiteData/IndexedDB/v1/*"),
    ("SafariViewService", f"{SVS}/Library/WebKit/WebsiteData/LocalStorage/*.localstorage"),
    ("IndexedDB", "private/var/mobile/Library/WebKit/WebsiteData/IndexedDB/*"),
    ("LocalStorage", "private/var/mobile/Library/WebKit/WebsiteData/LocalStorage/*.localstorage"),
)


class WebkitOrigins(Artifact):
    id = "ios.fs.webkit_origins"
    kinds = ("ios-fs",)
    title = N_("Web origins with stored data (WebKit)")
    records = (WebkitOrigin,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[WebkitOrigin]:
        source = listed(evidence)
        count = 0
        for store, pattern in LOCATIONS:
            for entry in source.entries(pattern):
                parsed = parse_origin(entry.name)
                if parsed is None:
                    continue
                location = source.device_path(entry.path)
                count += 1
                yield WebkitOrigin(source=SourceRef(file=location), store=store, origin=parsed[0], host=parsed[1],
                                   location="/" + location, modified=(modified := from_unix(entry.mtime)),
                                   modified_raw=raw_if_lost(entry.mtime, modified))
        if count == 0:
            raise ArtifactNotFound(tr('no WebKit website data'))
