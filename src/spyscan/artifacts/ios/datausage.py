"""Network data usage per process (``DataUsage.sqlite``: ``ZPROCESS`` + ``ZLIVEUSAGE``).

``ZPROCNAME`` is split into process, bundle id and delegate (``_procname.py``): ``<UUID>/<bundle id>``
names carry no process name. Recent versions lack ``ZLIVEUSAGE.ZWIFIIN``/``ZWIFIOUT`` (mvt-project/mvt#531):
columns are selected from ``PRAGMA table_info`` and a missing one stays empty.

Usage rows whose process row is gone, and process rows without usage, are kept: the
``ios.datausage_deleted_process`` rule looks for deleted processes and gaps in ``ZPROCESS`` keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    cocoa,
    col,
    databases,
    integer,
    present_columns,
    raw_value,
    rows,
    salvaged,
    text,
)
from spyscan.artifacts.ios._procname import split_procname
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_system import DataUsageRow
from spyscan.texts import N_
from spyscan.values import to_float

REL = "Library/Databases/DataUsage.sqlite"
SPECS = (IOSPath(domain="WirelessDomain", relative=REL, fs=(f"private/var/wireless/{REL}",)),)
PROCESS_COLUMNS = ("ZPROCNAME", "ZBUNDLENAME", "ZFIRSTTIMESTAMP", "ZTIMESTAMP")
USAGE_COLUMNS = ("ZHASPROCESS", "ZTIMESTAMP", "ZWIFIIN", "ZWIFIOUT", "ZWWANIN", "ZWWANOUT")


_float = to_float


class DataUsage(Artifact):
    id = "ios.datausage"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Network data usage per process (DataUsage.sqlite)")
    records = (DataUsageRow,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[DataUsageRow]:
        for file, conn in databases(evidence, SPECS, "DataUsage.sqlite", log, "ZPROCESS", "ZLIVEUSAGE"):
            p = present_columns(conn, "ZPROCESS", PROCESS_COLUMNS, log, file.label)
            u = present_columns(conn, "ZLIVEUSAGE", USAGE_COLUMNS, log, file.label)
            pcols = ", ".join(f"{col('p', x, p)} AS p_{x}" for x in PROCESS_COLUMNS)
            ucols = ", ".join(f"{col('u', x, u)} AS u_{x}" for x in USAGE_COLUMNS)
            join = "ON p.Z_PK = u.ZHASPROCESS" if "ZHASPROCESS" in u else "ON 0"
            unused = ("WHERE p.Z_PK NOT IN (SELECT ZHASPROCESS FROM ZLIVEUSAGE WHERE ZHASPROCESS IS NOT NULL)"
                      if "ZHASPROCESS" in u else "")
            nulls = ", ".join(f"NULL AS u_{x}" for x in USAGE_COLUMNS)
            usage_sql = (f"SELECT p.Z_PK AS p_pk, u.Z_PK AS u_pk, {pcols}, {ucols} "
                         f"FROM ZLIVEUSAGE AS u LEFT JOIN ZPROCESS AS p {join} ORDER BY u.Z_PK")
            process_sql = (f"SELECT p.Z_PK AS p_pk, NULL AS u_pk, {pcols}, {nulls} FROM ZPROCESS AS p {unused} "
                           "ORDER BY p.Z_PK")
            for row in chain(rows(conn, usage_sql), rows(conn, process_sql)):
                usage_pk = integer(row["u_pk"])
                table = "ZLIVEUSAGE" if usage_pk is not None else "ZPROCESS"
                rowid = usage_pk if usage_pk is not None else integer(row["p_pk"])
                procname = text(row["p_ZPROCNAME"])
                name = split_procname(procname, text(row["p_ZBUNDLENAME"]))
                yield DataUsageRow(
                    recovered=salvaged(conn),
                    source=SourceRef(file=file.label, table=table, rowid=rowid),
                    process_pk=integer(row["p_pk"]),
                    live_usage_pk=usage_pk,
                    has_process=integer(row["u_ZHASPROCESS"]),
                    process=name.process,
                    bundle_id=name.bundle_id,
                    delegate=name.delegate,
                    procname=procname,
                    first_seen=cocoa(row["p_ZFIRSTTIMESTAMP"]),
                    first_seen_raw=raw_value(row["p_ZFIRSTTIMESTAMP"]),
                    last_seen=cocoa(row["p_ZTIMESTAMP"]),
                    last_seen_raw=raw_value(row["p_ZTIMESTAMP"]),
                    usage_time=cocoa(row["u_ZTIMESTAMP"]),
                    usage_time_raw=raw_value(row["u_ZTIMESTAMP"]),
                    wifi_in=_float(row["u_ZWIFIIN"]),
                    wifi_out=_float(row["u_ZWIFIOUT"]),
                    wwan_in=_float(row["u_ZWWANIN"]),
                    wwan_out=_float(row["u_ZWWANOUT"]),
                )
