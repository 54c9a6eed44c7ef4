"""Processes with network usage (DataUsage.sqlite, netusage.sqlite) and whether their binary exists.

This artifact also prepares the "process without binary" heuristic
(``detection/heuristics/ios_process_without_binary.py``). A rule only sees the records of one artifact,
and the check needs two sources, the network-usage databases and the dump's file listing, so it is done
here: for every process listed without a bundle id, the shared listing is searched for a file of that
name anywhere in the dump; a name of 15 or 16 characters (the kernel cuts process names) is also found
by any file name that starts with it. The result goes into ``NetworkProcess.binary_found``, which the
rule reads. The check is skipped (``None``) when the dump has no system volume (only ``/private/var``),
because every system daemon would then look binary-less.
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import cocoa, open_db, raw_value, rows, salvaged, text
from spyscan.artifacts.ios.fs_common import find_all, listed
from spyscan.evidence.base import Evidence
from spyscan.evidence.fs_listing import DIR, FsListing
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.sqlite import has_table, table_columns
from spyscan.kinds.ios_fs import ListedIOSEvidence
from spyscan.records.base import SourceRef
from spyscan.records.ios_fs import NetworkProcess

SPECS = (
    IOSPath(fs=(
        "private/var/wireless/Library/Databases/DataUsage.sqlite",
        "private/var/networkd/netusage.sqlite",
        "private/var/networkd/db/netusage.sqlite",
    )),
)
NO_BINARY_EXPECTED = frozenset({"kernel_task"})
TRUNCATION_LENGTHS = (15, 16)


def has_system_volume(source: ListedIOSEvidence) -> bool:
    return any(e.type == DIR for pattern in ("usr/libexec", "System/Library") for e in source.entries(pattern))


def binary_exists(listing: FsListing, name: str) -> bool:
    if any(e.type != DIR for e in listing.named(name)):
        return True
    return len(name) in TRUNCATION_LENGTHS and any(e.type != DIR for e in listing.name_starting(name))


def split_process(raw: str, bundle: str | None) -> tuple[str, str | None]:
    name, _, rest = raw.partition("/")
    bundle = bundle or rest or None
    return name.strip(), (bundle.strip() or None) if bundle else None


class NetworkUsageProcesses(Artifact):
    id = "ios.fs.netusage"
    kinds = ("ios-fs",)
    title = "Processes using the network (DataUsage / netusage)"
    records = (NetworkProcess,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[NetworkProcess]:
        source = listed(evidence)
        files = find_all(source, SPECS, "DataUsage.sqlite / netusage.sqlite")
        system = has_system_volume(source)
        if not system:
            log.warn("the dump has no system volume (/usr/libexec, /System/Library): binaries not checked")
        for file in files:
            with open_db(source, file, log) as conn:
                if not has_table(conn, "ZPROCESS"):
                    log.warn(f"{file.label}: no ZPROCESS table")
                    continue
                columns = {c.upper() for c in table_columns(conn, "ZPROCESS")}
                pick = [c if c in columns else f"NULL AS {c}" for c in
                        ("ZPROCNAME", "ZBUNDLENAME", "ZFIRSTTIMESTAMP", "ZTIMESTAMP")]
                for row in rows(conn, f"SELECT Z_PK, {', '.join(pick)} FROM ZPROCESS ORDER BY Z_PK"):
                    raw = text(row["ZPROCNAME"]) or ""
                    name, bundle = split_process(raw, text(row["ZBUNDLENAME"]))
                    if not name:
                        continue
                    checked = system and bundle is None and name not in NO_BINARY_EXPECTED
                    yield NetworkProcess(
                        recovered=salvaged(conn),
                        source=SourceRef(file=file.label, table="ZPROCESS", rowid=row["Z_PK"]),
                        database=file.label, process=name, bundle_id=bundle,
                        first_seen=cocoa(row["ZFIRSTTIMESTAMP"]), first_seen_raw=raw_value(row["ZFIRSTTIMESTAMP"]),
                        last_seen=cocoa(row["ZTIMESTAMP"]), last_seen_raw=raw_value(row["ZTIMESTAMP"]),
                        binary_found=binary_exists(source.listing, name) if checked else None,
                        truncated=len(name) in TRUNCATION_LENGTHS,
                    )
