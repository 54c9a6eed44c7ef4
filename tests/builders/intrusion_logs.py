"""Write Android intrusion-logging exports (NDJSON files, as a folder or a zip) for tests."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

PLANTED = {
    "domain": "weather4free.com",  # Pegasus (Amnesty 2021-07-18_nso)
    "ip": "121.201.109.98",  # WyrmSpy/DragonEgg (mvt-indicators)
    "sha256": "e38d7ba21a48ad32963bfe6cb0203afe0839eca9a73268a67422109da282eae3",  # RCS Lab
    "app_id": "com.vodaservices",  # RCS Lab
    "path": "/data/local/tmp/dropbox",  # Amnesty 2023-03-29_android_campaign
}
CLEAN = {"domain": "example.org", "ip": "192.0.2.10", "sha256": "ab" * 32, "app_id": "com.example.notes",
         "path": "/sdcard/Download/report.pdf"}
MS = 1_717_236_000_000  # 2024-06-01T10:00:00Z in ms


def events(planted: bool) -> list[dict[str, object]]:
    v = PLANTED if planted else CLEAN
    ns = MS * 1_000_000
    return [
        {"dns_event": {"hostname": f"cdn.{v['domain']}", "ip_addresses": [f"/{v['ip']}", "/0.0.0.0"],
                       "package_name": "com.android.chrome", "event_time": MS, "ip_addresses_count": 2}},
        {"connect_event": {"ip_address": f"host.example/{v['ip']}", "port": 443,
                           "package_name": "com.android.chrome", "event_time": MS + 1000}},
        {"security_event": {"event_id": 1, "event_time": ns + 2_000_000_000,
                            "app_process_start": {"process": f"{v['app_id']}:remote", "start_time": MS + 1900,
                                                  "uid": 10234, "pid": 4321, "seinfo": "default:targetSdkVersion=34",
                                                  "sha256": v["sha256"]}}},
        {"security_event": {"event_id": 2, "event_time": ns + 3_000_000_000,
                            "package_installed": {"package_name": v["app_id"], "version_code": 7, "user_id": 0}}},
        {"security_event": {"event_id": 3, "event_time": ns + 4_000_000_000,
                            "adb_shell_cmd": {"command": f"pm grant {v['app_id']} android.permission.READ_SMS"}}},
        {"security_event": {"event_id": 4, "event_time": ns + 5_000_000_000,
                            "adb_sync_recv_file": {"path": v["path"]}}},
        {"security_event": {"event_id": 5, "event_time": ns + 6_000_000_000,
                            "cert_validation_failure": "Certificate path validation failed for wifi.example"}},
        {"security_event": {"event_id": 6, "event_time": ns + 7_000_000_000,
                            "key_integrity_violation": {"key_id": "USRPKEY_x", "uid": 1000}}},
        {"security_event": {"event_id": 7, "event_time": ns + 8_000_000_000, "keyguard_dismissed": {}}},
    ]


def ndjson(items: list[dict[str, object]]) -> bytes:
    return ("\n".join(json.dumps(i) for i in items) + "\n").encode()


def export_files(planted: bool) -> dict[str, bytes]:
    items = events(planted)
    # two overlapping daily files: the shared event must be reported once
    return {"2024-06-01.txt": ndjson(items[:5]), "2024-06-02.txt": ndjson(items[4:])}


def write_folder(root: Path, files: dict[str, bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def write_zip(path: Path, files: dict[str, bytes], folder: str = "intrusion-logs/") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(folder + name, data)
    return path
