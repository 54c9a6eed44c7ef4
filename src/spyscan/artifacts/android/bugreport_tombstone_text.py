"""Parsers for tombstones (native crash reports): the text form and shared helpers.

Text tombstones start with a line of ``*** ***`` and then ``Key: value`` header lines, e.g.::

    Build fingerprint: 'vendor/product/device:12/ID/123:user/release-keys'
    Timestamp: 2023-04-12 12:32:40.518290770+0200
    Cmdline: /vendor/bin/hw/some.service
    pid: 25541, tid: 21307, name: worker  >>> /vendor/bin/hw/some.service <<<
    uid: 1046
    signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0
    Abort message: '...'
    Cause: null pointer dereference

Only the header (up to the register dump / backtrace) is read.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from spyscan.faults import TIME_TEXT, WRONG_TYPE, converter, note, registered
from spyscan.records.android_tombstones import AndroidTombstone
from spyscan.records.base import SourceRef
from spyscan.timeutil import ANDROID_FLOOR, aware
from spyscan.values import to_int

_TIME = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2})[ T](?P<clock>\d{2}:\d{2}:\d{2})(?:\.(?P<frac>\d+))?"
                   r"\s*(?P<tz>[+-]\d{2}:?\d{2}|Z)?$")
_PID = re.compile(r"^pid: (?P<pid>\d+), tid: (?P<tid>\d+), name: (?P<thread>.*?)\s+>>> (?P<process>.*) <<<$")
_SIGNAL = re.compile(r"^signal (?P<num>-?\d+) \((?P<name>[^)]*)\), code (?P<code>-?\d+) \((?P<code_name>[^)]*)\)"
                     r"(?:, fault addr (?P<addr>\S+))?")
_QUOTED = re.compile(r"^'(.*)'$", re.DOTALL)
_END_OF_HEADER = ("backtrace:", "    r0 ", "    x0 ", "    rax ", "    eax ", "registers:")


@converter
def parse_time(raw: str | None) -> datetime | None:
    """``2023-04-12 12:32:40.518290770+0200`` (nanoseconds allowed) as aware UTC (None, with a fault noted,
    for text that is not such a time or an offset of a day or more)."""
    if not raw:
        return None
    if not isinstance(raw, str):
        note(WRONG_TYPE, raw)
        return None
    match = _TIME.match(raw.strip())
    if not match:
        note(TIME_TEXT, raw)
        return None
    frac = (match.group("frac") or "0")[:6].ljust(6, "0")
    try:
        parsed = datetime.fromisoformat(f"{match.group('day')}T{match.group('clock')}.{frac}")
        zone = match.group("tz")
        if zone and zone != "Z":
            digits = zone.replace(":", "")
            offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
            parsed = parsed.replace(tzinfo=timezone(-offset if digits[0] == "-" else offset))
    except ValueError:  # not a date, or an offset of 24 hours or more
        note(TIME_TEXT, raw)
        return None
    return aware(parsed, raw, ANDROID_FLOOR)


def _unquote(value: str) -> str:
    match = _QUOTED.match(value.strip())
    return match.group(1) if match else value.strip()


@registered
def _int(value: str | None) -> int | None:
    return to_int(value)


def executable_of(process: str | None) -> str | None:
    return process if process and process.startswith("/") else None


def parse_text_tombstone(text: str, source: SourceRef) -> AndroidTombstone | None:
    """The header of a text tombstone; None when the text does not look like one."""
    fields: dict[str, str] = {}
    pid_line: re.Match[str] | None = None
    signal_line: re.Match[str] | None = None
    for line in text.splitlines():
        if line.startswith(_END_OF_HEADER):
            break
        pid_line = pid_line or _PID.match(line)
        signal_line = signal_line or _SIGNAL.match(line)
        key, sep, value = line.partition(": ")
        if sep and key and key[0].isalpha() and key not in fields:
            fields[key] = value
    if pid_line is None and "Build fingerprint" not in fields:
        return None
    process = pid_line.group("process").strip() if pid_line else None
    cmdline = fields.get("Cmdline")
    if not process and cmdline:
        process = cmdline.split()[0]
    raw_time = fields.get("Timestamp")
    return AndroidTombstone(
        source=source,
        process_name=process,
        executable=executable_of(process),
        command_line=cmdline.split() if cmdline else [],
        thread_name=pid_line.group("thread").strip() if pid_line else None,
        pid=_int(pid_line.group("pid")) if pid_line else None,
        tid=_int(pid_line.group("tid")) if pid_line else None,
        uid=_int(fields.get("uid")),
        signal=_int(signal_line.group("num")) if signal_line else None,
        signal_name=signal_line.group("name") if signal_line else None,
        signal_code=_int(signal_line.group("code")) if signal_line else None,
        signal_code_name=signal_line.group("code_name") if signal_line else None,
        fault_address=signal_line.group("addr") if signal_line else None,
        abort_message=_unquote(fields["Abort message"]) if "Abort message" in fields else None,
        cause=fields.get("Cause"),
        build_fingerprint=_unquote(fields["Build fingerprint"]) if "Build fingerprint" in fields else None,
        abi=_unquote(fields["ABI"]) if "ABI" in fields else None,
        timestamp=parse_time(raw_time),
        timestamp_raw=raw_time,
        format="text",
    )
