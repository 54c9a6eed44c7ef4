"""Privacy permissions (``TCC.db`` ``access`` table): which app or binary may use which service.

``client_type`` 1 is an absolute path (a binary: the ``process`` field); 0 is an identifier (the ``app_id``
field). An identifier that is not in reverse-DNS form (no dot, such as ``bh``) is as much a process name as
an app id: it fills both fields, so that it is matched against either kind of indicator.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios._common import columns_of
from spyscan.artifacts.ios._table import Row, TableArtifact
from spyscan.evidence.ios import IOSPath
from spyscan.records.ios_system import TCCAccess
from spyscan.texts import N_

REL = "Library/TCC/TCC.db"
SPECS = (IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}",)),)
ALLOWED_VALUES = {2, 3}  # auth_value: 0 denied, 1 unknown, 2 allowed, 3 limited
COMMON = ("service", "client", "client_type", "last_modified")
MODERN = ("auth_value", "auth_reason")  # iOS 14 and later (mvt-project/mvt#212)
OLD = ("allowed", "prompt_count")


class TCC(TableArtifact):
    id = "ios.tcc"
    kinds = ("ios-backup", "ios-fs", "sysdiagnose")
    title = N_("Privacy permissions (TCC.db)")
    records = (TCCAccess,)
    specs = SPECS
    what = "TCC.db"
    table = "access"
    key = "rowid"
    columns = COMMON + MODERN + OLD

    def wanted_columns(self, conn: sqlite3.Connection) -> Sequence[str]:
        return COMMON + (MODERN if "auth_value" in columns_of(conn, "access") else OLD)

    def record(self, row: Row, log: ArtifactLog) -> TCCAccess:
        client = row.text("client")
        client_type = row.integer("client_type")
        is_path = client_type == 1 or (client or "").startswith("/")
        bare_name = not is_path and client is not None and "." not in client
        if "auth_value" in row.values:
            value, reason = row.integer("auth_value"), row.integer("auth_reason")
            allowed = None if value is None else value in ALLOWED_VALUES
        else:
            value, reason = row.integer("allowed"), None
            allowed = None if value is None else bool(value)
        return TCCAccess(
            recovered=row.recovered,
            source=row.source,
            service=row.text("service"),
            client=client,
            client_type=client_type,
            app_id=None if is_path else client,
            process=client if is_path or bare_name else None,
            auth_value=value,
            auth_reason=reason,
            allowed=allowed,
            last_modified=row.unix("last_modified"),
            last_modified_raw=row.raw("last_modified"),
        )
