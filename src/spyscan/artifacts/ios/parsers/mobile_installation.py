"""``mobile_installation.log`` lines (MobileInstallation daemon, in sysdiagnose and on the device).

Lines start with a local time (``Fri Mar 25 10:22:33 2022``), then pid, level, thread and the message,
e.g. ``Installing <MIInstallableBundle ID=com.example.app; Version=1.0, ShortVersion=1.0>`` or
``Uninstalling identifier com.example.app``. ``parse_install_line`` returns the event of one line or None.
"""

from __future__ import annotations

import re
from datetime import datetime

import msgspec

from spyscan.faults import TIME_TEXT, note

_TIME = re.compile(r"^\s*((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                   r" +\d{1,2} \d{2}:\d{2}:\d{2} \d{4})")
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("install", re.compile(r"\bInstalling <[^>]*?\bID=([^;>\s]+)(?:;\s*Version=([^,;>]+))?")),
    ("install", re.compile(r"\bInstall Successful for \((?:Placeholder:)?([^)\s]+)\)")),
    ("uninstall", re.compile(r"\bUninstalling identifier ([^\s;,]+)")),
    ("uninstall", re.compile(r"\bUninstall requested by .*? for identifier ([^\s;,]+)")),
    ("uninstall", re.compile(r"\bDestroying container with identifier ([^\s;,]+)")),
    ("container", re.compile(r"\bMade container live for ([^\s;,]+)")),
)


class InstallLine(msgspec.Struct, frozen=True):
    action: str
    bundle_id: str
    version: str | None
    time_raw: str | None
    time: datetime | None  # device local time, kept naive here


def parse_install_line(line: str) -> InstallLine | None:
    for action, rx in _RULES:
        found = rx.search(line)
        if found is None:
            continue
        version = found.group(2).strip() if rx.groups >= 2 and found.group(2) else None
        stamp = _TIME.match(line)
        when = None
        if stamp is not None:
            try:
                when = datetime.strptime(stamp.group(1), "%a %b %d %H:%M:%S %Y")
            except ValueError:
                note(TIME_TEXT, stamp.group(1))
                when = None
        return InstallLine(action=action, bundle_id=found.group(1).rstrip(">"), version=version,
                           time_raw=stamp.group(1) if stamp else None, time=when)
    return None
