"""Processes with network usage (DataUsage.sqlite, netusage.sqlite) and whether their binary exists.

This artifact also prepares the "process without binary" heuristic
(``detection/heuristics/ios_process_without_binary.py``). A rule only sees the records of one artifact,
and the check needs two sources, the network-usage databases and the dump's file listing, so it is done
here: for every process listed without a bundle id, the shared listing is searched for a file of that
name anywhere in the dump; a name of 15 or 16 characters (the kernel cuts process names) is also found
by any file name that starts with it. The result goes into ``NetworkProcess.binary_found``, which the
rule reads. The check is skipped (``None``) when the dump has no system volume (no ``/sbin/launchd``, which
every iOS has: a dump of ``/private/var`` with a few system files copied beside it is not a system
volume), because every system daemon would then look binary-less. Names that hold a dot
(``com.apple.mobileassetd``, ``com.apple.sbd``) are launchd labels or identifiers, not file names: they are
not looked up either. ``ZPROCNAME`` is split by ``_procname.py`` (``<UUID>/<bundle id>``, ``proc/<bundle
id>``, ``terminusd/<process>``).
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import cocoa, open_db, raw_value, rows, salvaged, text
from spyscan.artifacts.ios._procname import split_procname
from spyscan.artifacts.ios.fs_common import find_all, listed
from spyscan.evidence.base import Evidence
from spyscan.evidence.fs_listing import DIR, FsListing
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.sqlite import has_table, table_columns
from spyscan.kinds.ios_fs import ListedIOSEvidence
from spyscan.records.base import SourceRef
from spyscan.records.ios_fs import NetworkProcess
from spyscan.texts import N_, tr

SPECS = (
    IOSPath(fs=(
        "private/var/wireless/Library/Databases/DataUsage.sqlite",
        "private/var/networkd/netusage.sqlite",
        "private/var/networkd/db/netusage.sqlite",
    )),
)
NO_BINARY_EXPECTED = frozenset({"kernel_task"})
TRUNCATION_LENGTHS = (15, 16)


SYSTEM_VOLUME_MARK = "sbin/launchd"  # the first process of every iOS version


def has_system_volume(source: ListedIOSEvidence) -> bool:
    return any(e.type != DIR for e in source.entries(SYSTEM_VOLUME_MARK))


def binary_exists(listing: FsListing, name: str) -> bool:
    if any(e.type != DIR for e in listing.named(name)):
        return True
    return len(name) in TRUNCATION_LENGTHS and any(e.type != DIR for e in listing.name_starting(name))


class NetworkUsageProcesses(Artifact):
    id = "ios.fs.netusage"
    kinds = ("ios-fs",)
    title = N_("Processes using the network (DataUsage / netusage)")
    records = (NetworkProcess,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[NetworkProcess]:
        source = listed(evidence)
        files = find_all(source, SPECS, "DataUsage.sqlite / netusage.sqlite")
        system = has_system_volume(source)
        if not system:
            log.warn(tr('the dump has no system volume (no /sbin/launchd): process binaries not checked'))
        for file in files:
            with open_db(source, file, log) as conn:
                if not has_table(conn, "ZPROCESS"):
                    log.warn(tr('%(file)s: no ZPROCESS table', file=file.label))
                    continue
                columns = {c.upper() for c in table_columns(conn, "ZPROCESS")}
                pick = [c if c in columns else f"NULL AS {c}" for c in
                        ("ZPROCNAME", "ZBUNDLENAME", "ZFIRSTTIMESTAMP", "ZTIMESTAMP")]
                for row in rows(conn, f"SELECT Z_PK, {', '.join(pick)} FROM ZPROCESS ORDER BY Z_PK"):
                    raw = text(row["ZPROCNAME"])
                    split = split_procname(raw, text(row["ZBUNDLENAME"]))
                    name, bundle = split.process, split.bundle_id
                    if not name and not bundle:
                        continue
                    checked = (system and name is not None and bundle is None and split.delegate is None
                               and "." not in name and name not in NO_BINARY_EXPECTED)
                    yield NetworkProcess(
                        recovered=salvaged(conn),
                        source=SourceRef(file=file.label, table="ZPROCESS", rowid=row["Z_PK"]),
                        database=file.label, process=name, bundle_id=bundle, delegate=split.delegate,
                        procname=raw,
                        first_seen=cocoa(row["ZFIRSTTIMESTAMP"]), first_seen_raw=raw_value(row["ZFIRSTTIMESTAMP"]),
                        last_seen=cocoa(row["ZTIMESTAMP"]), last_seen_raw=raw_value(row["ZTIMESTAMP"]),
                        binary_found=binary_exists(source.listing, name) if checked and name else None,
                        truncated=name is not None and len(name) in TRUNCATION_LENGTHS,
                    )
