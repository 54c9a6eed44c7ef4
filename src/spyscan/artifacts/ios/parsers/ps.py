"""Process lists as ``ps`` prints them (sysdiagnose ``ps.txt``, ``ps_thread.txt``).

The header names the columns; the last column (``COMMAND``/``COMM``/``ARGS``) takes the rest of the
line, spaces included. Lines with fewer fields than the header (thread rows of ``ps -M``) are skipped.
"""

from __future__ import annotations

import msgspec

from spyscan.values import to_int

_COMMAND_COLUMNS = ("COMMAND", "COMM", "ARGS", "CMD")


class PsRow(msgspec.Struct, frozen=True):
    line: int
    command: str
    executable: str  # first word of the command
    name: str  # base name of the executable
    pid: int | None
    ppid: int | None
    user: str | None
    started: str | None


def _int(text: str | None) -> int | None:
    return to_int(text) if text is not None and text.isdigit() else None


def parse_ps(lines: list[tuple[int, str]]) -> list[PsRow]:
    header: list[str] | None = None
    rows: list[PsRow] = []
    for number, text in lines:
        fields = text.split()
        if not fields:
            continue
        if header is None:
            upper = [f.upper() for f in fields]
            if "PID" in upper and upper[-1] in _COMMAND_COLUMNS:
                header = upper
            continue
        if [f.upper() for f in fields] == header:
            continue
        parts = text.split(None, len(header) - 1)
        if len(parts) < len(header):
            continue
        columns = dict(zip(header, parts, strict=True))
        command = parts[-1].strip()
        executable = command.split()[0] if command else ""
        if executable.startswith("(") and executable.endswith(")"):
            executable = executable[1:-1]
        name = executable.rsplit("/", 1)[-1]
        if not name:
            continue
        rows.append(PsRow(line=number, command=command, executable=executable, name=name,
                          pid=_int(columns.get("PID")), ppid=_int(columns.get("PPID")),
                          user=columns.get("USER"), started=columns.get("STARTED") or columns.get("STIME")))
    return rows
