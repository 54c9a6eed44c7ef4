"""androidqf ``logcat.txt``: logcat lines (threadtime format, with or without the year)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

from spyscan.artifacts.android.androidqf_common import text_lines
from spyscan.artifacts.android.androidqf_getprop import acquisition_date
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.records.android_logs import LogcatEntry
from spyscan.records.base import SourceRef

FILE = "logcat.txt"
_LINE = re.compile(
    r"^(?P<date>(?:\d{4}-)?\d{2}-\d{2}) (?P<time>\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?: [+-]\d{4})?\s+"
    r"(?P<pid>\d+)\s+(?P<tid>\d+)\s+(?P<level>[VDIWEFA])\s+(?P<tag>.*?)\s*: (?P<msg>.*)$"
)


def _when(date_text: str, time_text: str, year: int | None) -> datetime | None:
    if len(date_text) == 5:
        if year is None:
            return None
        date_text = f"{year}-{date_text}"
    try:
        return datetime.fromisoformat(f"{date_text}T{time_text}").replace(tzinfo=UTC)
    except ValueError:
        return None


class AndroidQFLogcat(Artifact):
    id = "android.androidqf.logcat"
    kinds = ("androidqf",)
    title = "Logcat (logcat.txt)"
    records = (LogcatEntry,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[LogcatEntry]:
        acquired = acquisition_date(evidence)
        year = acquired.year if acquired else None
        undated = 0
        for number, line in text_lines(evidence, FILE, log):
            match = _LINE.match(line)
            if not match:
                continue
            when = _when(match["date"], match["time"], year)
            if when is None:
                undated += 1
            yield LogcatEntry(source=SourceRef(file=FILE, line=number), time=when,
                              time_raw=f"{match['date']} {match['time']}", pid=int(match["pid"]),
                              tid=int(match["tid"]), level=match["level"], tag=match["tag"] or None,
                              message=match["msg"])
        if undated:
            log.warn(f"{FILE}: {undated} line(s) have no year and no acquisition date is known; "
                     "their times are kept as written only")
