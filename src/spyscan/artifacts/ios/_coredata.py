"""Core Data many-to-many join tables, found by their column names rather than by table name.

Core Data names a join table ``Z_<entity number><RELATIONSHIP>`` with one column per side,
``Z_<entity number><RELATIONSHIP NAME>``; entity numbers change between iOS versions (interactionC.db has
``Z_1INTERACTIONS(Z_1ATTACHMENTS, Z_3INTERACTIONS)`` on some versions, other numbers on others), so the
table is recognised by the relationship names of its two columns.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict

from spyscan.evidence.sqlite import real_tables

_TABLE = re.compile(r"^Z_\d+[A-Z0-9_]+$")


def _column(columns: list[str], relationship: str) -> str | None:
    pattern = re.compile(rf"^Z_\d+{relationship}$", re.IGNORECASE)
    return next((c for c in columns if pattern.match(c)), None)


def join_pairs(conn: sqlite3.Connection, left: str, right: str) -> dict[int, list[int]] | None:
    """``{left key: [right keys]}`` from the join table linking relationships ``left`` and ``right``.

    None when no such table exists. Example: ``join_pairs(conn, "INTERACTIONS", "ATTACHMENTS")``.
    """
    for name in real_tables(conn):  # never a view or virtual table (``evidence.sqlite_schema``)
        if not _TABLE.match(name):
            continue
        columns = [c[1].decode() if isinstance(c[1], bytes) else str(c[1])
                   for c in conn.execute(f'PRAGMA table_info("{name}")')]
        a, b = _column(columns, left), _column(columns, right)
        if a and b and a != b:
            pairs: dict[int, list[int]] = defaultdict(list)
            for x, y in conn.execute(f'SELECT "{a}", "{b}" FROM "{name}" ORDER BY 1, 2'):
                if isinstance(x, int) and isinstance(y, int):
                    pairs[x].append(y)
            return pairs
    return None
