"""Keychain analytics databases (``/private/var/Keychains/Analytics/*.db``).

Their tables differ between iOS versions, so every distinct short text value of every table is kept and
matched both as a process name and as a domain (these databases record the hosts and processes that used
the keychain and the network trust stack).
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import open_db, salvaged, text
from spyscan.artifacts.ios.fs_common import find_all, listed
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.sqlite import real_tables
from spyscan.records.base import SourceRef
from spyscan.records.ios_fs import KeychainAnalyticsString
from spyscan.texts import N_

SPECS = (IOSPath(fs=("private/var/Keychains/Analytics/*.db",)),)
MAX_LENGTH = 255


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class KeychainAnalytics(Artifact):
    id = "ios.fs.keychain_analytics"
    kinds = ("ios-fs",)
    title = N_("Keychain analytics databases")
    records = (KeychainAnalyticsString,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[KeychainAnalyticsString]:
        source = listed(evidence)
        for file in find_all(source, SPECS, "Keychain analytics databases"):
            with open_db(source, file, log) as conn:
                for table in real_tables(conn):  # never a view or virtual table (``evidence.sqlite_schema``)
                    if not table or table.startswith("sqlite_"):
                        continue
                    columns = [text(r[1]) or "" for r in conn.execute(f"PRAGMA table_info({_quote(table)})")]
                    for column in columns:
                        sql = (f"SELECT DISTINCT {_quote(column)} FROM {_quote(table)} "
                               f"WHERE typeof({_quote(column)}) = 'text'")
                        for (value,) in conn.execute(sql):
                            decoded = text(value)
                            if not decoded or len(decoded) > MAX_LENGTH or " " in decoded.strip():
                                continue
                            yield KeychainAnalyticsString(
                                recovered=salvaged(conn),
                                source=SourceRef(file=file.label, table=table, key=column), database=file.label,
                                table=table, column=column, value=decoded.strip())
