"""Shortcuts (``Shortcuts.sqlite``: ``ZSHORTCUT`` + ``ZSHORTCUTACTIONS``): actions and every URL they use."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import (
    blob,
    cocoa,
    col,
    columns_of,
    databases,
    integer,
    load_plist,
    ns_keyed_strings,
    present_columns,
    raw_value,
    rows,
    salvaged,
    text,
)
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.evidence.plist import PlistError, PlistLimitError
from spyscan.links.text import links_in
from spyscan.records.base import SourceRef
from spyscan.records.ios_system import Shortcut
from spyscan.texts import N_, tr

REL = "Library/Shortcuts/Shortcuts.sqlite"
SPECS = (IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}",)),)
COLUMNS = ("ZNAME", "ZACTIONSDESCRIPTION", "ZACTIONCOUNT", "ZCREATIONDATE", "ZMODIFICATIONDATE")
ACTION_ID = "WFWorkflowActionIdentifier"
MAX_STRINGS, MAX_LENGTH = 500, 4000


class DecodedActions:
    def __init__(self) -> None:
        self.ids: list[str] = []
        self.strings: list[str] = []
        self.broken = 0
        self.limited = 0  # blobs past the plist reader's limits (not read: the artifact is truncated)
        self.urls: dict[str, None] = {}  # links found in any string, in order
        self.unshown = 0  # strings past MAX_STRINGS: searched for links, not kept as action text

    def add(self, data: bytes | None) -> None:
        if not data:
            return
        try:
            actions: Any = load_plist(data)
            found = [(action, ns_keyed_strings(action.get("WFWorkflowActionParameters")
                                               if isinstance(action, dict) else action))
                     for action in (actions if isinstance(actions, list) else [actions])]
        except PlistLimitError:
            self.limited += 1
            return
        except PlistError:
            self.broken += 1
            return
        for action, strings in found:
            if isinstance(action, dict) and isinstance(action.get(ACTION_ID), str):
                self.ids.append(action[ACTION_ID])
            for item in strings:
                if not item.strip():
                    continue
                self.urls.update(dict.fromkeys(links_in(item)))  # every string is searched for links
                if len(self.strings) < MAX_STRINGS:
                    self.strings.append(item[:MAX_LENGTH])
                else:
                    self.unshown += 1


def _action_blobs(conn: sqlite3.Connection, shortcut_pk: int | None, where: str) -> list[bytes | None]:
    if where == "actions":
        sql = "SELECT ZDATA FROM ZSHORTCUTACTIONS WHERE ZSHORTCUT = ? ORDER BY Z_PK"
        return [blob(r["ZDATA"]) for r in rows(conn, sql, (shortcut_pk,))]
    if where == "column":
        return [blob(r["ZACTIONS"]) for r in rows(conn, "SELECT ZACTIONS FROM ZSHORTCUT WHERE Z_PK = ?",
                                                  (shortcut_pk,))]
    return []


class Shortcuts(Artifact):
    id = "ios.shortcuts"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Shortcuts")
    records = (Shortcut,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Shortcut]:
        for file, conn in databases(evidence, SPECS, "Shortcuts.sqlite", log, "ZSHORTCUT"):
            s = present_columns(conn, "ZSHORTCUT", COLUMNS, log, file.label)
            if {"zshortcut", "zdata"} <= columns_of(conn, "ZSHORTCUTACTIONS"):
                where = "actions"
            elif "zactions" in columns_of(conn, "ZSHORTCUT"):
                where = "column"
            else:
                where = ""
                log.warn(tr('%(file)s: no action data found (ZSHORTCUTACTIONS.ZDATA or ZSHORTCUT.ZACTIONS)',
                            file=file.label))
            select = ", ".join(f"{col('s', x, s)} AS {x}" for x in COLUMNS)
            for row in list(rows(conn, f"SELECT s.Z_PK AS pk, {select} FROM ZSHORTCUT AS s ORDER BY s.Z_PK")):
                pk = integer(row["pk"])
                actions = DecodedActions()
                for data in _action_blobs(conn, pk, where):
                    actions.add(data)
                if actions.broken:
                    log.warn(tr('%(file)s: shortcut %(pk)s: %(broken)s action blob(s) not readable', file=file.label,
                                pk=pk, broken=actions.broken))
                if actions.limited:
                    log.mark_truncated(tr("%(file)s: shortcut %(pk)s: %(limited)s action blob(s) nest too deep or hold "
                                          "too many values; not read", file=file.label, pk=pk,
                                          limited=actions.limited))
                yield Shortcut(
                    recovered=salvaged(conn),
                    source=SourceRef(file=file.label, table="ZSHORTCUT", rowid=pk),
                    shortcut_id=pk,
                    name=text(row["ZNAME"]),
                    description=text(row["ZACTIONSDESCRIPTION"]),
                    action_count=integer(row["ZACTIONCOUNT"]),
                    action_ids=actions.ids,
                    urls=list(actions.urls),
                    action_text=actions.strings,
                    created=cocoa(row["ZCREATIONDATE"]),
                    created_raw=raw_value(row["ZCREATIONDATE"]),
                    modified=cocoa(row["ZMODIFICATIONDATE"]),
                    modified_raw=raw_value(row["ZMODIFICATIONDATE"]),
                )
