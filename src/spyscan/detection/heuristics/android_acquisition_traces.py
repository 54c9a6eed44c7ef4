"""What the acquisition tool itself left on the phone (a run rule that lowers such findings to information).

Field reports show false alarms from the acquisition's own traces (docs/false-alarms.md): androidqf's
collector binary in the phone's temp folder (mvt-project/androidqf ``adb/collector.go``: it is pushed to
the detected temp folder and ``acquisition.json`` names it in ``collector.ExePath`` and ``tmp_dir``),
``com.android.shell`` app-ops used by the acquisition's own commands (osservatorionessuno/bugbane#140,
#158) and the examiner's ADB key (mvt-project/mvt PR #860, androidqf PR #120 ``adb_host_key.pub``).
``spyscan collect`` records what it did in ``acquisition.json`` (``phone_traces``) and the same window.

The acquisition window is ``started``..``completed`` of ``acquisition.json`` with a margin for the
phone's clock (``CLOCK_MARGIN``), wider when the phone's times were read without a known time zone.
A finding is lowered only when the evidence ties it to the acquisition: the collector's exact path
modified inside the window, a shell app-op whose last use is inside the window, the key whose hash is
the acquiring computer's. Anything else stays as it was.
"""

from __future__ import annotations

import posixpath
from datetime import datetime, timedelta

import msgspec

from spyscan.detection.heuristics.base import RunRule
from spyscan.detection.model import CONTEXT, Detection, Severity
from spyscan.records.acquisition import AcquisitionInfo
from spyscan.records.base import Record
from spyscan.texts import N_, Text, tr
from spyscan.timeutil import from_iso

CLOCK_MARGIN = timedelta(minutes=15)  # the phone's clock against the acquiring computer's
UNKNOWN_ZONE_MARGIN = timedelta(hours=14)  # device-local times read as UTC: any offset the world uses
DEFAULT_TMP = "/data/local/tmp"
RULES = ("android.data_local_tmp", "android.shell_appops", "android.adb_trusted_key")


class AndroidAcquisitionTraces(RunRule):
    id = "android.acquisition_traces"
    title = N_("Left by the acquisition itself")
    severity = Severity.INFO
    category = CONTEXT
    why = N_("The acquisition tool runs commands on the phone and may copy a helper to it. What it left during "
             "the acquisition is not a sign of compromise.")
    record_types = (AcquisitionInfo,)

    def __init__(self) -> None:
        self._info: AcquisitionInfo | None = None

    def check(self, record: Record, job: str) -> None:
        if isinstance(record, AcquisitionInfo) and record.platform == "android" and self._info is None:
            self._info = record

    def review(self, detection: Detection) -> Detection:
        if self._info is None or detection.rule not in RULES:
            return detection
        reason = self._reason(detection, self._info)
        if reason is None:
            return detection
        message = tr("%(message)s (left by the acquisition: %(reason)s)",
                     message=Text(detection.text) if detection.text else detection.message, reason=reason)
        return msgspec.structs.replace(detection, severity=Severity.INFO, category=CONTEXT, message=str(message),
                                       text=message.message)

    def _reason(self, detection: Detection, info: AcquisitionInfo) -> str | None:
        record = detection.record
        if detection.rule == "android.adb_trusted_key":
            key = record.get("key_sha256")
            return tr("the acquiring computer's key") if key and key == info.adb_host_key_sha256 else None
        if detection.rule == "android.shell_appops":
            when = from_iso(record.get("last_access"))
            inside = self._inside(when, bool(record.get("timezone_assumed")))
            return tr("used during the acquisition") if inside else None
        path = posixpath.normpath(str(record.get("path") or ""))
        if path in {posixpath.normpath(p) for p in [*info.left_on_phone, *info.created_and_removed] if p}:
            return tr("a file the acquisition made, listed in acquisition.json")
        if path in self._collector_paths(info) and self._inside(from_iso(record.get("modified")), False):
            return tr("androidqf's collector, copied to the phone during the acquisition")
        return None

    @staticmethod
    def _collector_paths(info: AcquisitionInfo) -> set[str]:
        paths = {posixpath.join(info.tmp_dir or DEFAULT_TMP, "collector")}
        if info.collector_path:
            paths.add(posixpath.normpath(info.collector_path))
        return paths

    def _inside(self, when: datetime | None, zone_unknown: bool) -> bool:
        info = self._info
        if when is None or info is None or info.started is None:
            return False
        margin = CLOCK_MARGIN + (UNKNOWN_ZONE_MARGIN if zone_unknown else timedelta(0))
        end = info.completed or info.started + timedelta(hours=6)  # never completed: a generous bound
        return info.started - margin <= when <= end + margin
