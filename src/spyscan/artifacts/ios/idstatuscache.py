"""Identity-services lookups (``com.apple.identityservices.idstatuscache.plist``): accounts looked up.

Each ``mailto:``/``tel:`` key is an account the device asked Apple about (iMessage/FaceTime reachability),
with the date of the lookup. NUL bytes inside a stored account are counted (``nul_bytes``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import cocoa, find_files, integer, raw_value, read_plist, split_handle
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_system import IDStatusEntry
from spyscan.texts import N_

REL = "Library/Preferences/com.apple.identityservices.idstatuscache.plist"
SPECS = (
    IOSPath(domain="HomeDomain", relative=REL, fs=(
        f"private/var/mobile/{REL}",
        "private/var/mobile/Library/IdentityServices/idstatuscache.plist",
    )),
    IOSPath(domain="HomeDomain", relative="Library/IdentityServices/idstatuscache.plist"),
)
PREFIXES = ("mailto:", "tel:")


def _accounts(data: Any, path: tuple[str, ...] = (), depth: int = 0) -> Iterator[tuple[tuple[str, ...], str, Any]]:
    """``(path of parent keys, account key, value)`` for every ``mailto:``/``tel:`` key up to 4 levels deep."""
    if not isinstance(data, dict) or depth > 4:
        return
    for key, value in data.items():
        name = str(key)
        if name.lower().startswith(PREFIXES):
            yield path, name, value
        else:
            yield from _accounts(value, (*path, name), depth + 1)


class IDStatusCache(Artifact):
    id = "ios.idstatuscache"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Identity-services lookups (IDStatusCache)")
    records = (IDStatusEntry,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[IDStatusEntry]:
        source, files = find_files(evidence, SPECS, "IDStatusCache plist")
        for file in files:
            data = read_plist(source, file, log)
            for parents, account, value in _accounts(data):
                info = value if isinstance(value, dict) else {}
                nul = account.count("\x00")
                clean = account.replace("\x00", "")
                phone, email = split_handle(clean)
                shown = account.replace("\x00", "\\x00")
                lookup = info.get("LookupDate")
                yield IDStatusEntry(
                    source=SourceRef(file=file.label, key="/".join((*parents, shown))),
                    service=parents[-1] if parents else None,
                    account=shown,
                    email=email,
                    phone=phone,
                    nul_bytes=nul,
                    lookup_status=integer(info.get("IDStatus", info.get("LookupStatus"))),
                    lookup_date=cocoa(lookup),
                    lookup_date_raw=raw_value(lookup),
                )
