"""Security events from intrusion logs (``security_event``: ``event_time`` in ns, ``event_id`` and one
key naming the SecurityLog tag, e.g. ``app_process_start``, ``adb_shell_cmd``, ``package_installed``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import msgspec

from spyscan.artifacts.android.intrusion_common import (
    as_int,
    as_text,
    event_time,
    finish_log,
    intrusion_evidence,
)
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.kinds.intrusion_logs import IntrusionLogsEvidence
from spyscan.records.android_intrusion import (
    IntrusionAdbCommand,
    IntrusionAdbFileTransfer,
    IntrusionAppProcessStart,
    IntrusionPackageEvent,
    IntrusionSecurityEvent,
)
from spyscan.records.base import Record, SourceRef
from spyscan.texts import N_, tr

METADATA = {"event_id", "event_time", "event_type", "timestamp", "time", "log_level", "id", "type"}
PACKAGE_ACTIONS = {"package_installed": "installed", "package_updated": "updated",
                   "package_uninstalled": "uninstalled"}
FILE_DIRECTIONS = {"adb_sync_recv_file": "pull", "adb_sync_send_file": "push"}
# app_process_start: {process, start_time (ms), uid, pid, seinfo, sha256} (SecurityLog TAG_APP_PROCESS_START:
# process name, start time, uid, pid, seinfo, SHA-256 of the APK); the export names the hash "sha256"
HASH_KEYS = ("sha256",)
_APP_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+$")
_FILE_SUFFIX = re.compile(r"\.(?:apk|apks|txt|so|jar|dex|odex|sh|xml|json|zip|db|log|png|jpg|bin|img|prop)$",
                          re.IGNORECASE)
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


def app_ids_in(command: str) -> list[str]:
    """Tokens of a shell command that look like Android app ids (``com.example.app``)."""
    found: list[str] = []
    for token in re.split(r"[\s'\"=;|&(),]+", command):
        token = token.split("/", 1)[0].rstrip(":")
        looks_like_app = _APP_ID.match(token) and not _FILE_SUFFIX.search(token)
        if looks_like_app and not token.replace(".", "").isdigit() and token not in found:
            found.append(token)
    return found


def _tag(data: dict[str, Any]) -> str | None:
    return next((key for key in data if key not in METADATA), None)


def _hash(info: dict[str, Any]) -> str | None:
    for key in HASH_KEYS:
        value = info.get(key)
        if isinstance(value, str) and _SHA256.match(value.strip()):
            return value.strip().lower()
    return None


def _success(value: Any) -> bool | None:
    """``success`` as exported (a JSON bool) or as SecurityLog writes it (an int, 1 = success)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


def _record(tag: str, info: Any, ref: SourceRef, logs: IntrusionLogsEvidence, data: dict[str, Any]) -> Record:
    when, raw = event_time(data, logs)
    fields: dict[str, Any] = info if isinstance(info, dict) else {}
    if tag == "app_process_start":
        process = as_text(fields.get("process") or fields.get("process_name"))
        start, start_raw = event_time({"event_time": fields.get("start_time")}, logs)
        return IntrusionAppProcessStart(source=ref, process=process,
                                        package=process.split(":", 1)[0] if process else None,
                                        uid=as_int(fields.get("uid")), pid=as_int(fields.get("pid")),
                                        seinfo=as_text(fields.get("seinfo")), sha256=_hash(fields),
                                        start_time=start, start_time_raw=start_raw, time=when, time_raw=raw)
    if tag in PACKAGE_ACTIONS:
        return IntrusionPackageEvent(source=ref, action=PACKAGE_ACTIONS[tag],
                                     package=as_text(fields.get("package_name") or fields.get("package")),
                                     version_code=as_int(fields.get("version_code")),
                                     user_id=as_int(fields.get("user_id")), time=when, time_raw=raw)
    if tag in ("adb_shell_cmd", "adb_shell_interactive"):
        command = as_text(fields.get("command")) if fields else as_text(info if isinstance(info, str) else None)
        return IntrusionAdbCommand(source=ref, command=command, interactive=tag == "adb_shell_interactive",
                                   app_ids=app_ids_in(command or ""), time=when, time_raw=raw)
    if tag in FILE_DIRECTIONS:
        path = as_text(fields.get("path")) if fields else as_text(info if isinstance(info, str) else None)
        return IntrusionAdbFileTransfer(source=ref, direction=FILE_DIRECTIONS[tag], path=path, time=when,
                                        time_raw=raw)
    success = _success(fields.get("success"))
    details = msgspec.json.encode(info).decode() if info is not None else None
    return IntrusionSecurityEvent(source=ref, tag=tag, details=details, success=success, time=when, time_raw=raw)


class IntrusionSecurity(Artifact):
    id = "android.intrusion.security"
    kinds = ("intrusion-logs",)
    title = N_("Security events (intrusion logs)")
    records = (IntrusionAppProcessStart, IntrusionPackageEvent, IntrusionAdbCommand, IntrusionAdbFileTransfer,
               IntrusionSecurityEvent)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Record]:
        logs = intrusion_evidence(evidence)
        start = logs.read_mark()
        for event in logs.events("security_event"):
            tag = _tag(event.data)
            if tag is None:
                log.warn(tr('%(event)s line %(line)s: security event without a tag', event=event.file, line=event.line))
                continue
            ref = SourceRef(file=event.file, line=event.line, key=f"security_event.{tag}")
            yield _record(tag, event.data[tag], ref, logs, event.data)
        finish_log(logs, log, start)
