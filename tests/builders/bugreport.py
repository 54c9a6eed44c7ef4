"""Write Android bugreports (zip, or the same tree as a folder) for tests.

The dumpstate holds a ``SYSTEM PROPERTIES`` block and dumpsys sections; ``FS/`` holds tombstones
(text and a protobuf one encoded here with the real field numbers) and any extra files.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

DUMPSTATE = "dumpstate-2024-05-01-10-00-00.txt"


def _varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, value: int | bytes | str) -> bytes:
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    raw = value.encode() if isinstance(value, str) else value
    return _varint(number << 3 | 2) + _varint(len(raw)) + raw


def proto_tombstone(*, process: str, pid: int, tid: int, uid: int, signal: int, signal_name: str,
                    abort: str | None = None, timestamp: str = "2024-04-30 21:15:02.123456789+0200",
                    thread: str = "worker", selinux: str = "u:r:system_server:s0") -> bytes:
    sig = _field(1, signal) + _field(2, signal_name) + _field(3, -6) + _field(4, "SI_TKILL")
    thread_msg = _field(1, tid) + _field(2, thread)
    body = (_field(1, 1) + _field(2, "google/sample/sample:14/AP1A/1:user/release-keys") + _field(3, "0")
            + _field(4, timestamp) + _field(5, pid) + _field(6, tid) + (_field(7, uid) if uid else b"")
            + _field(8, selinux + "\0") + _field(9, process) + _field(9, "--flag") + _field(10, sig)
            + _field(16, _field(1, tid) + _field(2, thread_msg)) + _field(99, b"future field"))
    if abort:
        body += _field(14, abort)
    return body


def text_tombstone(*, process: str, pid: int, uid: int, signal: str = "6 (SIGABRT)", abort: str | None = None,
                   timestamp: str = "2024-04-29 08:00:00+0000") -> str:
    lines = [
        "*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***",
        "Build fingerprint: 'google/sample/sample:14/AP1A/1:user/release-keys'",
        "Revision: '0'",
        "ABI: 'arm64'",
        f"Timestamp: {timestamp}",
        f"pid: {pid}, tid: {pid + 1}, name: Binder:{pid}_2  >>> {process} <<<",
        f"uid: {uid}",
        f"signal {signal}, code -1 (SI_QUEUE), fault addr --------",
    ]
    if abort:
        lines.append(f"Abort message: '{abort}'")
    lines += ["    x0  0000000000000000  x1  0000000000001234", "", "backtrace:",
              "      #00 pc 000603ca  /apex/com.android.runtime/lib64/bionic/libc.so (abort+166)"]
    return "\n".join(lines) + "\n"


def dumpstate(properties: dict[str, str], *, processes: str = "", package: str = "",
              services: dict[str, str] | None = None) -> str:
    """A dumpstate: properties, an optional ``PROCESSES AND THREADS`` block (``processes``: the ps text),
    ``dumpsys package`` (``package``: extra lines of its Packages: block) and other services' sections."""
    props = "\n".join(f"[{k}]: [{v}]" for k, v in properties.items())
    text = (
        "========================================================\n"
        "== dumpstate: 2024-05-01 10:00:00\n"
        "========================================================\n"
        "------ SYSTEM PROPERTIES (getprop) ------\n"
        f"{props}\n"
        "------ 0.036s was the duration of 'SYSTEM PROPERTIES' ------\n"
    )
    if processes:
        text += ("------ PROCESSES AND THREADS (ps -A -T -Z -O pri,nice,rtprio,sched,pcy,time) ------\n"
                 f"{processes}"
                 "------ 0.120s was the duration of 'PROCESSES AND THREADS' ------\n")
    text += (
        "-------------------------------------------------------------------------------\n"
        "DUMP OF SERVICE package:\n"
        "Packages:\n"
        "  Package [com.example.app] (1234):\n"
        f"{package}"
        "--------- 0.010s was the duration of dumpsys package, ending at: 2024-05-01 10:00:02\n"
    )
    for name, body in (services or {}).items():
        text += ("-------------------------------------------------------------------------------\n"
                 f"DUMP OF SERVICE {name}:\n{body}"
                 f"--------- 0.010s was the duration of dumpsys {name}, ending at: 2024-05-01 10:00:03\n")
    return text


DEFAULT_PROPERTIES = {
    "ro.build.fingerprint": "google/sample/sample:14/AP1A/1:user/release-keys",
    "ro.product.model": "Pixel Sample",
    "ro.build.version.release": "14",
    "persist.sys.timezone": "Europe/Paris",
}


def bugreport_files(*, planted: bool) -> dict[str, bytes]:
    properties = dict(DEFAULT_PROPERTIES)
    if planted:
        properties["sys.brand.note"] = "1"  # Amnesty 2023-03-29_android_campaign android-property:name
    files = {
        "main_entry.txt": DUMPSTATE.encode(),
        DUMPSTATE: dumpstate(properties).encode(),
        "version.txt": b"2.0",
        "FS/data/tombstones/tombstone_00": text_tombstone(
            process="/system/bin/adbd", pid=900, uid=2000, abort="Check failed: payload.size()").encode(),
        "FS/data/tombstones/tombstone_01.pb": proto_tombstone(
            process="/system/bin/surfaceflinger", pid=500, tid=501, uid=0, signal=11, signal_name="SIGSEGV"),
        "FS/data/tombstones/tombstone_01": text_tombstone(process="/system/bin/surfaceflinger", pid=500,
                                                          uid=0).encode(),
        "FS/data/tombstones/tombstone_02": text_tombstone(process="com.example.app", pid=3000, uid=10123).encode(),
        "FS/data/misc/notes.txt": b"hello",
    }
    if planted:
        files["FS/data/local/tmp/dropbox"] = b"planted"  # Amnesty 2023-03-29_android_campaign file:path
    return files


def write_bugreport_zip(path: Path, files: dict[str, bytes],
                        when: tuple[int, int, int, int, int, int] = (2024, 5, 1, 12, 0, 0)) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


def write_bugreport_folder(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root
