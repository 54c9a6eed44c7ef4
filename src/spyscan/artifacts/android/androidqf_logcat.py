"""androidqf ``logcat.txt`` and ``logcat_old.txt``: logcat lines.

androidqf runs ``logcat -d -b all "*:V"`` (saved as ``logcat.txt``) and ``logcat -L -b all "*:V"``
(the buffer of the previous boot, ``logcat_old.txt``, often absent). The default output format is
``threadtime``: ``MM-DD HH:MM:SS.mmm  PID  TID L TAG: message`` in the device's local time and
without a year; ``-v year`` output (``YYYY-MM-DD ...``) and a trailing zone offset are read too.

Times: the year of a line without one comes from the acquisition date (``acquisition.json``
``started``/``completed``) seen on the device's clock, one year earlier for a date after the
acquisition day; without an acquisition date such lines get no time (the raw text is kept). Local
times are converted to UTC with the device time zone (``persist.sys.timezone``) when known,
otherwise kept as if UTC (``timezone_assumed``) with a warning.

Only messages that look like they name a host, URL, e-mail or IP address (``LogcatTextEntry``) are
matched as free text; free-text extraction of every line was most of the cost of a large logcat.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

from spyscan.artifacts.android.androidqf_common import text_lines
from spyscan.artifacts.android.androidqf_getprop import acquisition_date
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.android_time import DeviceClock, device_clock
from spyscan.evidence.base import Evidence
from spyscan.faults import TIME_RANGE, note, registered
from spyscan.records.android_logs import LogcatEntry, LogcatTextEntry
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr
from spyscan.timeutil import ANDROID_FLOOR, aware, plausible
from spyscan.values import to_int

FILES = ("logcat.txt", "logcat_old.txt")
_LINE = re.compile(
    r"(?P<date>(?:\d{4}-)?\d\d-\d\d) (?P<time>\d\d:\d\d:\d\d(?:\.\d+)?)(?: (?P<off>[+-]\d{4}))?\s+"
    r"(?P<pid>\d+)\s+(?P<tid>\d+) (?P<level>[VDIWEFA]) (?P<tag>.*?)\s*: (?P<msg>.*)"
)
# lossless pre-filter for free-text matching: every URL, host name, e-mail and IPv4 address the
# indicator engine extracts from text holds "<alnum>.<letter>", "<digit>.<digit>" or "://"
_HOSTLIKE = re.compile(r"[A-Za-z0-9]\.[A-Za-z]|\d\.\d|://")


@registered
def _int(digits: object) -> int | None:
    """A pid/tid (``\\d+``): short decimal text goes straight to ``int``, anything else through ``to_int``."""
    if type(digits) is str and 0 < len(digits) < 12 and digits.isdecimal():
        return int(digits)
    return to_int(digits)


class _Dating:
    """Turns a logcat date and time into UTC, inferring a missing year from the acquisition date.

    The year and the device's UTC offset are worked out once per minute of log (offsets only change
    on minute boundaries) and cached: most lines then cost one ``fromisoformat``.
    """

    def __init__(self, clock: DeviceClock, acquired: datetime | None) -> None:
        self.clock = clock
        self.local_acquired = clock.today(acquired).replace(tzinfo=None) if acquired is not None else None
        self._minutes: dict[str, tuple[str, timedelta] | None] = {}

    def _minute(self, date_text: str, minute_text: str) -> tuple[str, timedelta] | None:
        """``(YYYY-MM-DD, offset to add to get UTC)`` for a local minute, or None without a usable date."""
        try:
            if len(date_text) == 5:
                if self.local_acquired is None:
                    return None
                year = self.local_acquired.year
                local = datetime.fromisoformat(f"{year}-{date_text}T{minute_text}")
                if local - self.local_acquired > timedelta(days=1):
                    local = local.replace(year=year - 1)  # a line of December read in January
            else:
                local = datetime.fromisoformat(f"{date_text}T{minute_text}")
        except ValueError:
            return None
        utc = self.clock.to_utc(local)
        if utc is None:  # a sentinel minute (1970-01-01 00:00 UTC) or one that leaves datetime's range
            return None
        return local.date().isoformat(), utc.replace(tzinfo=None) - local

    def when(self, date_text: str, time_text: str, offset: str | None) -> datetime | None:
        key = date_text + time_text[:5]
        if key in self._minutes:
            cached = self._minutes[key]
        else:
            if len(self._minutes) > 4096:
                self._minutes.clear()
            cached = self._minutes[key] = self._minute(date_text, time_text[:5])
        if cached is None:
            return None
        raw = f"{cached[0]}T{time_text}"
        try:
            if offset is not None:  # "-v zone": the line states its own UTC offset
                return aware(datetime.fromisoformat(f"{raw}{offset[0]}{offset[1:3]}:{offset[3:5]}"), raw,
                             ANDROID_FLOOR)
            when = datetime.fromisoformat(f"{raw}+00:00") + cached[1]
        except (ValueError, OverflowError):
            note(TIME_RANGE, raw)
            return None
        return when if when >= ANDROID_FLOOR else plausible(when, raw, ANDROID_FLOOR)


class AndroidQFLogcat(Artifact):
    id = "android.androidqf.logcat"
    kinds = ("androidqf",)
    title = N_("Logcat (logcat.txt, logcat_old.txt)")
    records = (LogcatEntry, LogcatTextEntry)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[LogcatEntry]:
        present = [name for name in FILES if evidence.exists(name)]
        if not present:
            raise ArtifactNotFound(" / ".join(FILES))
        clock = device_clock(evidence)
        dating = _Dating(clock, acquisition_date(evidence))
        zone, assumed_zone = clock.name, clock.assumed
        undated = local_as_utc = 0
        match_line = _LINE.match
        hostlike = _HOSTLIKE.search
        for rel in present:
            for number, line in text_lines(evidence, rel, log):
                match = match_line(line)
                if match is None:
                    continue  # "--------- beginning of main" and continuation lines
                date_text, time_text, offset, msg = match.group("date", "time", "off", "msg")
                when = dating.when(date_text, time_text, offset)
                inferred = len(date_text) == 5
                assumed = when is not None and offset is None and assumed_zone
                if when is None:
                    undated += 1
                elif assumed:
                    local_as_utc += 1
                kind = LogcatTextEntry if ("." in msg or "://" in msg) and hostlike(msg) else LogcatEntry
                yield kind(source=SourceRef(file=rel, line=number), time=when, time_raw=f"{date_text} {time_text}",
                           pid=_int(match["pid"]), tid=_int(match["tid"]), level=match["level"],
                           tag=match["tag"] or None, message=msg, year_inferred=inferred and when is not None,
                           time_zone=zone if offset is None else None, timezone_assumed=assumed)
        if undated:
            log.warn(tr('logcat: %(undated)s line(s) have no year and no acquisition date is known; their times are '
                        'kept as written only', undated=undated))
        if local_as_utc:
            log.warn(clock.warning(tr("%(count)s logcat line time(s)", count=local_as_utc)))
