"""Privacy permissions (``TCC.db`` ``access`` table): which app or binary may use which service.

``client_type`` 1 is an absolute path (a binary: the ``process`` field); 0 is an identifier (the ``app_id``
field). An identifier that is not in reverse-DNS form (no dot, such as ``bh``) is as much a process name as
an app id: it fills both fields, so that it is matched against either kind of indicator.
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    col,
    columns_of,
    find_files,
    integer,
    open_db,
    present_columns,
    raw_value,
    require_tables,
    rows,
    salvaged,
    text,
    unix,
)
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_system import TCCAccess
from spyscan.texts import N_

REL = "Library/TCC/TCC.db"
SPECS = (IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}",)),)
ALLOWED_VALUES = {2, 3}  # auth_value: 0 denied, 1 unknown, 2 allowed, 3 limited


class TCC(Artifact):
    id = "ios.tcc"
    kinds = ("ios-backup", "ios-fs", "sysdiagnose")
    title = N_("Privacy permissions (TCC.db)")
    records = (TCCAccess,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[TCCAccess]:
        source, files = find_files(evidence, SPECS, "TCC.db")
        for file in files:
            with open_db(source, file, log) as conn:
                require_tables(conn, file, "access")
                have = columns_of(conn, "access")
                modern = "auth_value" in have
                wanted = ("service", "client", "client_type", "last_modified") + (
                    ("auth_value", "auth_reason") if modern else ("allowed", "prompt_count"))
                a = present_columns(conn, "access", wanted, log, file.label)
                select = ", ".join(f"{col('a', x, a)} AS {x}" for x in wanted)
                for row in rows(conn, f"SELECT a.rowid AS rid, {select} FROM access AS a ORDER BY a.rowid"):
                    client = text(row["client"])
                    client_type = integer(row["client_type"])
                    is_path = client_type == 1 or (client or "").startswith("/")
                    bare_name = not is_path and client is not None and "." not in client
                    if modern:
                        value, reason = integer(row["auth_value"]), integer(row["auth_reason"])
                        allowed = None if value is None else value in ALLOWED_VALUES
                    else:
                        value, reason = integer(row["allowed"]), None
                        allowed = None if value is None else bool(value)
                    yield TCCAccess(
                        recovered=salvaged(conn),
                        source=SourceRef(file=file.label, table="access", rowid=integer(row["rid"])),
                        service=text(row["service"]),
                        client=client,
                        client_type=client_type,
                        app_id=None if is_path else client,
                        process=client if is_path or bare_name else None,
                        auth_value=value,
                        auth_reason=reason,
                        allowed=allowed,
                        last_modified=unix(row["last_modified"]),
                        last_modified_raw=raw_value(row["last_modified"]),
                    )
