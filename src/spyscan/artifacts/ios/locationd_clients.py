"""Location-services clients (locationd ``clients.plist``): apps and binaries that asked for location.

Backups: ``RootDomain`` ``Library/Caches/locationd/clients.plist``. Each top-level key is a client (a bundle
id, or ``com.apple.locationd.bundle-<path>``/``com.apple.locationd.executable-<path>``, sometimes with a
trailing ``:``); values that are not dictionaries are migration counters and are skipped. Times are Mac
absolute seconds; ``Registered`` is a path on some versions and a boolean on others.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import find_files, integer, raw_value, read_plist
from spyscan.artifacts.ios._plist_values import when
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_system import LocationdClient
from spyscan.texts import N_
from spyscan.values import Raw

CLIENTS = "Library/Caches/locationd/clients.plist"
SPECS = (
    IOSPath(domain="RootDomain", relative=CLIENTS, fs=(f"private/var/mobile/{CLIENTS}", f"private/var/root/{CLIENTS}")),
)
BUNDLE_PREFIX = "com.apple.locationd.bundle-"
TIME_KEYS = ("ConsumptionPeriodBegin", "ReceivingLocationInformationTimeStopped", "VisitTimeStopped",
             "LocationTimeStopped", "BackgroundLocationTimeStopped", "SignificantTimeStopped",
             "NonPersistentSignificantTimeStopped", "FenceTimeStopped", "BeaconRegionTimeStopped")


def _is_time_key(key: str) -> bool:
    return key in TIME_KEYS or key.endswith(("TimeStopped", "Time", "Timestamp"))


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


class LocationdClients(Artifact):
    id = "ios.locationd_clients"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Location-services clients")
    records = (LocationdClient,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[LocationdClient]:
        source, files = find_files(evidence, SPECS, "locationd clients.plist")
        for file in files:
            data = read_plist(source, file, log)
            if not isinstance(data, dict):
                continue
            for client, info in data.items():
                if not isinstance(info, dict):
                    continue
                name = str(client).rstrip(":")
                times: dict[str, datetime] = {}
                raws: dict[str, Raw] = {}
                for key, value in info.items():
                    if _is_time_key(str(key)):
                        raw, stamp = raw_value(value), when(value)
                        if raw is not None:
                            raws[str(key)] = raw
                        if stamp is not None:
                            times[str(key)] = stamp
                bundle_id = _str(info.get("BundleId"))
                app_ids = sorted({a for a in (bundle_id, None if name.startswith(BUNDLE_PREFIX) or "/" in name
                                              else name) if a})
                yield LocationdClient(
                    source=SourceRef(file=file.label, key=name),
                    client=name,
                    bundle_id=bundle_id,
                    bundle_path=_str(info.get("BundlePath")),
                    executable=_str(info.get("Executable")),
                    registered=_str(info.get("Registered")),
                    authorization=integer(info.get("Authorization")),
                    app_ids=app_ids,
                    times=times,
                    times_raw=raws,
                    first_time=min(times.values()) if times else None,
                    last_time=max(times.values()) if times else None,
                )
