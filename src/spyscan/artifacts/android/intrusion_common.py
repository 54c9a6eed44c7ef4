"""Helpers shared by the intrusion-log artifacts: event times and address clean-up."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from spyscan.artifacts.base import ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.kinds.intrusion_logs import IntrusionLogsEvidence
from spyscan.texts import tr
from spyscan.timeutil import ANDROID_FLOOR, from_text, from_unix
from spyscan.values import raw_value, to_int, to_text

TIME_KEYS = ("event_time", "timestamp", "time")


def intrusion_evidence(evidence: Evidence) -> IntrusionLogsEvidence:
    if not isinstance(evidence, IntrusionLogsEvidence):
        raise ArtifactNotFound(tr('not an intrusion-logs input'))
    return evidence


def event_time(data: dict[str, Any], evidence: IntrusionLogsEvidence) -> tuple[datetime | None, str | None]:
    """``(UTC time, raw value)``: epoch numbers (s/ms/us/ns, told apart by size) are instants; a
    date-time string without a zone is read in the device time zone when known (else as UTC)."""
    for key in TIME_KEYS:
        value = data.get(key)
        if value is None or value == "" or isinstance(value, bool):
            continue
        raw = str(raw_value(value))
        if isinstance(value, int | float) or raw.strip().lstrip("-").isdigit():
            return from_unix(value, ANDROID_FLOOR), raw
        return from_text(raw, (), ANDROID_FLOOR, evidence.time_zone or UTC), raw
    return None, None


def clean_ip(value: Any) -> str | None:
    """``/1.2.3.4``, ``host/1.2.3.4`` or ``[::1]`` as a bare address; None when empty."""
    if not isinstance(value, str):
        return None
    text = value.strip().rsplit("/", 1)[-1].strip("[]")
    return text or None


as_int = to_int


as_text = to_text


def finish_log(evidence: IntrusionLogsEvidence, log: ArtifactLog, start: tuple[int, int]) -> None:
    """Warnings for what this artifact's reading skipped (``start``: ``evidence.read_mark()`` before it)."""
    start_bad, start_limited = start
    bad = evidence.bad_lines - start_bad
    if bad:
        log.warn(tr('%(bad)s line(s) of the intrusion logs are not JSON and were skipped', bad=bad))
    for message in evidence.limited[start_limited:]:
        log.mark_truncated(message)
    for name in sorted(evidence.empty_files):
        log.warn(tr('%(name)s is empty', name=name))
