"""Write small valid seed inputs for the fuzz targets into fuzz/seeds/<target>/ (run once; committed)."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _tar(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tf:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _db() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.db"
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA page_size = 512")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, url TEXT, ts REAL)")
        conn.executemany("INSERT INTO t (url, ts) VALUES (?, ?)", [(f"https://e{i}.org/", i * 1.5) for i in range(40)])
        conn.commit()
        conn.close()
        return path.read_bytes()


DUMPSYS = b"""DUMP OF SERVICE package:
Packages:
  Package [com.example.app] (1a2b3c):
    userId=10123
    versionName=1.0
    installerPackageName=com.android.vending
--------- 0.05s was the duration of dumpsys package, ending at: 2024-05-01 12:00:00
DUMP OF SERVICE appops:
  Uid 10123:
    Package com.example.app:
      CAMERA (allow / switch COARSE_LOCATION=allow):
        Access: [fg-s] 2024-05-01 11:59:00.000 (-1m0s0ms)
"""
BUNDLE = {"type": "bundle", "id": "bundle--1", "objects": [
    {"type": "malware", "id": "malware--1", "name": "TestSpy"},
    {"type": "indicator", "id": "indicator--1", "pattern_type": "stix",
     "pattern": "[domain-name:value = 'evil.example']"},
    {"type": "indicator", "id": "indicator--2", "pattern_type": "stix",
     "pattern": "[file:hashes.sha256 = 'aa' OR url:value = 'https://x.example/?a=1']"},
    {"type": "relationship", "id": "relationship--1", "relationship_type": "indicates",
     "source_ref": "indicator--1", "target_ref": "malware--1"}]}
SEEDS: dict[str, dict[str, bytes]] = {
    "stix_bundle": {"bundle.json": json.dumps(BUNDLE).encode()},
    "stix_pattern": {"p1": b"[domain-name:value = 'a.b']", "p2": b"[process:name = 'x'] AND [file:name = 'y']"},
    "normalize": {"u": b"HTTPS://WWW.Evil.example.:443/a?b='c'#d", "ip": b"2001:db8::1", "p": b"/private/var/x/../y"},
    "timeutil": {"t": b"\x01\x02\x03\x04\x05\x06\x07\x082024-05-01T12:00:00Z"},
    "textio": {"t": "ok line\nbad \xff\x00 line\n".encode("latin-1")},
    "dumpsys": {"d": DUMPSYS},
    "dumpsys_artifacts": {f"d{i}": bytes([i]) + DUMPSYS for i in range(12)},
    "archive": {"zip": _zip({"a/b.txt": b"hello", "c.json": b"{}"}), "tar": _tar({"a/b.txt": b"hello"})},
    "sqlite": {"db": _db()},
    "ios_ps": {"ps": b"USER  UID PID PPID COMMAND\nroot 0 1 0 /sbin/launchd\nmobile 501 300 1 /usr/libexec/x -a\n"},
    "shutdown_log": {"s": b"remaining client pid: 123 (/usr/libexec/x)\nSIGTERM: [1700000000] Shutting down...\n"},
    "ips": {"i": b'{"bug_type":"309","timestamp":"2024-01-01 00:00:00.00 +0000","name":"x"}\n{"procName":"x"}'},
    "mobile_installation": {"m": b"Mon Jan  1 00:00:00 2024 [1] <err> (0x1) -[MIClientConnection "
                                 b"uninstallIdentifiers:withOptions:completion:]: Uninstall requested by "
                                 b"installd for identifier com.x.y\n"},
    "mounts": {"m": b"/dev/block/dm-0 /system ext4 ro,seclabel 0 0\ntmpfs on /dev type tmpfs (rw,nosuid)\n"},
    "getprop": {"g": b"[ro.build.version.security_patch]: [2024-01-05]\n[ro.product.model]: [Pixel 7]\n[a]: [b\nc]\n"},
    "android_ps": {"p": b"USER PID PPID VSZ RSS WCHAN ADDR S NAME\nroot 1 0 100 10 0 0 S init\n"
                        b"u0_a123 4242 1 1 1 0 0 S com.example.app\n"},
    "intrusion_logs": {"l": b'{"security_event": {"event_id": 1, "event_time": 1717200000000000000, '
                            b'"dns_event": {"hostname": "evil.example", "ip_addresses": ["1.2.3.4"]}}}\n'},
    "android_backup": {"ab": b"5\n0\nnone\n" + _tar({"apps/com.x/f/a.txt": b"hello"})},
}

def _new_seeds() -> dict[str, dict[str, bytes]]:
    """Seeds of the targets added with the bounded structure readers (plist, nska, tombstone_proto, abx,
    ndjson, androidqf_packages, crash_reports, tar), built with the tests' own writers."""
    import plistlib
    from datetime import datetime

    sys.path.insert(0, str(HERE.parent / "tests"))
    from tests.builders.androidqf import package
    from tests.builders.bugreport import proto_tombstone
    from tests.builders.intrusion_logs import events, ndjson
    from tests.builders.ios_backup import mbfile_blob
    from tests.builders.sysdiagnose import ips_text
    from tests.dumpsys.test_abx import keystore_abx

    sample = {"s": "text", "i": -5, "big": 2 ** 63 - 1, "f": 1.5, "b": True, "d": b"\x00\x01",
              "t": datetime(2024, 5, 1, 12, 0, 0), "a": [1, "x", {"k": []}]}
    archive = {"$archiver": "NSKeyedArchiver", "$version": 100000, "$top": {"root": plistlib.UID(1)},
               "$objects": ["$null", {"$class": plistlib.UID(2), "NS.keys": [plistlib.UID(3)],
                                      "NS.objects": [plistlib.UID(3)]}, {"$classname": "NSDictionary"}, "value"]}
    privacy = [{"type": "networkActivity", "bundleID": "com.example.a", "domain": "example.org",
                "firstTimeStamp": "2024-01-01T10:00:00.000+01:00", "timeStamp": "2024-01-01T10:05:00.000+01:00",
                "hits": 3, "initiatedType": "AppInitiated"},
               {"type": "access", "accessor": {"identifier": "com.example.b", "identifierType": "bundleID"},
                "category": "camera", "identifier": "A-1", "kind": "intervalBegin",
                "timeStamp": "2024-01-01T10:00:00.000+01:00"}]
    legacy = "Process: bh [701]\nPath: /usr/libexec/bh\nDate/Time: 2023-11-14 10:10:10.000 +0100\n"
    return {
        "plist": {"binary": plistlib.dumps(sample, fmt=plistlib.FMT_BINARY),
                  "xml": plistlib.dumps(sample, fmt=plistlib.FMT_XML),
                  "archive": plistlib.dumps(archive, fmt=plistlib.FMT_BINARY)},
        "nska": {"mbfile": mbfile_blob(relative_path="Library/Notes/a.db", size=7),
                 "mbfile_key": mbfile_blob(relative_path="Library/x", size=0, encryption_key=b"\x03\0\0\0" + bytes(40)),
                 "archive": plistlib.dumps(archive, fmt=plistlib.FMT_BINARY)},
        "tombstone_proto": {"pb": proto_tombstone(process="/system/bin/x", pid=1, tid=2, uid=1000, signal=11,
                                                  signal_name="SIGSEGV", abort="abort message")},
        "abx": {"keystore": keystore_abx([("QUFBQUFB" * 8, 1_700_000_000_000), ("QkJCQkJC" * 8, None)])},
        "ndjson": {"intrusion": ndjson(events(planted=False)),
                   "privacy": "\n".join(json.dumps(item) for item in privacy).encode() + b"\n"},
        "androidqf_packages": {"array": json.dumps([package("com.example.a"), package("com.example.b", installer=None)
                                                    | {"first_install_time": "2024-01-01T10:00:00Z"}]).encode(),
                               "ndjson": (json.dumps(package("com.example.c")) + "\n").encode()},
        "crash_reports": {"json": ips_text({"bug_type": "309", "timestamp": "2023-11-14 10:10:10.00 +0100",
                                            "app_name": "x", "bundleID": "com.example.x"},
                                           {"procName": "x", "procPath": "/private/var/containers/x", "pid": 7,
                                            "bundleInfo": {"CFBundleIdentifier": "com.example.x"}}).encode(),
                          "legacy": ('{"bug_type":"109"}\n' + legacy).encode()},
        "tar": {"tar": _tar({"a/b.txt": b"hello", "logs/x.log": b"line\n"}),
                "targz": __import__("gzip").compress(_tar({"Library/Logs/a.ips": b"{}\n{}"}))},
    }


if __name__ == "__main__":
    SEEDS.update(_new_seeds())
    for target, files in SEEDS.items():
        folder = HERE / "seeds" / target
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
    print(f"seeds written for {len(SEEDS)} targets")
