"""Synthetic sysdiagnose archives (``sysdiagnose_<date>_<device>_<product>_<build>.tar.gz``) for tests.

Usage::

    from builders.sysdiagnose import SysdiagnoseBuilder, ps_text, ips_text

    b = SysdiagnoseBuilder()
    b.add_text("ps.txt", ps_text([("root", 1, 0, "/sbin/launchd")]))
    b.add_text("system_logs.logarchive/Extra/shutdown.log", "...")
    b.add_text("crashes_and_spins/foo-2023.ips", ips_text({...}, {...}))
    archive = b.build(tmp_path)            # tar.gz with everything under the top folder
    folder = b.build_folder(tmp_path)      # the same as an extracted folder

Nothing here imports spyscan.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

TOP = "sysdiagnose_2023.11.14_22-13-20+0000_iPhone-OS_iPhone_20B82"
PS_HEADER = ("USER               UID PRSNA   PID  PPID        F  %CPU %MEM PRI NI      VSZ    RSS WCHAN    TT  STAT "
             "STARTED      TIME COMMAND")


class SysdiagnoseBuilder:
    def __init__(self, top: str = TOP) -> None:
        self.top = top
        self.files: dict[str, bytes] = {}

    def add_file(self, rel: str, data: bytes) -> SysdiagnoseBuilder:
        self.files[rel] = data
        return self

    def add_text(self, rel: str, text: str) -> SysdiagnoseBuilder:
        return self.add_file(rel, text.encode())

    def logarchive_noise(self) -> SysdiagnoseBuilder:
        """Binary unified-log content that must be listed but never read."""
        self.add_file("system_logs.logarchive/Persist/0000000000000001.tracev3", b"\x00\x10" * 512)
        self.add_file("system_logs.logarchive/Info.plist", b"<plist/>")
        return self

    def build(self, folder: Path) -> Path:
        dest = folder / f"{self.top}.tar.gz"
        with tarfile.open(dest, "w:gz") as tar:
            top = tarfile.TarInfo(self.top)
            top.type = tarfile.DIRTYPE
            top.mode = 0o755
            tar.addfile(top)
            for rel, data in sorted(self.files.items()):
                info = tarfile.TarInfo(f"{self.top}/{rel}")
                info.size = len(data)
                info.mode = 0o644
                info.mtime = 1_700_000_000
                tar.addfile(info, io.BytesIO(data))
        return dest

    def build_folder(self, folder: Path) -> Path:
        root = folder / self.top
        for rel, data in self.files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return root


def ps_text(rows: list[tuple[str, int, int, str]]) -> str:
    """``ps.txt`` with ``(user, pid, ppid, command)`` rows in the sysdiagnose column layout."""
    lines = [PS_HEADER]
    for user, pid, ppid, command in rows:
        lines.append(f"{user:<16} 0 -   {pid:>5} {ppid:>5}  4004004   0.0  0.1  31  0  4000000   2000 -        ??  Ss "
                     f"  10:21AM   0:00.10 {command}")
    return "\n".join(lines) + "\n"


def ips_text(header: dict[str, object], body: dict[str, object] | str) -> str:
    """An ``.ips`` report: the JSON header line, then the body (JSON object or legacy text)."""
    rendered = body if isinstance(body, str) else json.dumps(body, indent=2)
    return json.dumps(header) + "\n" + rendered
